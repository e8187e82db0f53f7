from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    # The monitors start quiet: what was already overdue before they existed is marked announced
    # (no burst of old alerts on upgrade); the activity counters are counted once.
    return """
        ALTER TABLE `lead_stages` DROP INDEX `idx_lead_stages_exited__6aedad`;
        ALTER TABLE `lead_activities` DROP INDEX `idx_lead_activi_status_453f75`;
        CREATE TABLE IF NOT EXISTS `activity_counts` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `user_id` INT NOT NULL,
    `activity_type` VARCHAR(20) NOT NULL COMMENT 'CALL: call\nEMAIL: email\nMEETING: meeting\nNOTE: note\nSTATUS_CHANGE: status_change\nASSIGNMENT: assignment\nFOLLOW_UP: follow_up',
    `status` VARCHAR(10) NOT NULL COMMENT 'PENDING: pending\nCOMPLETED: completed\nCANCELLED: cancelled',
    `priority` VARCHAR(10) NOT NULL COMMENT 'LOW: low\nMEDIUM: medium\nHIGH: high\nURGENT: urgent',
    `count` INT NOT NULL,
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_activity_co_entity__71d388` (`entity_id`, `user_id`, `activity_type`, `status`, `priority`),
    CONSTRAINT `fk_activity_entities_d0ae9a59` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='Activities per entity, owner, type, status and priority, changed in the transaction that';
        ALTER TABLE `lead_activities` ADD INDEX `idx_lead_activi_status_511193` (`status`, `overdue_notified_for`, `next_follow_up_at`);
        ALTER TABLE `lead_activities` ADD INDEX `idx_lead_activi_entity__ecd2c1` (`entity_id`, `status`, `priority`, `next_follow_up_at`);
        ALTER TABLE `lead_stages` ADD INDEX `idx_lead_stages_exited__1fd88a` (`exited_at`, `sla_breached_at`, `sla_due_at`);
        INSERT INTO `activity_counts` (`entity_id`, `user_id`, `activity_type`, `status`, `priority`, `count`)
            SELECT `entity_id`, `user_id`, `activity_type`, `status`, `priority`, COUNT(*)
            FROM `lead_activities` GROUP BY `entity_id`, `user_id`, `activity_type`, `status`, `priority`;
        UPDATE `lead_stages` SET `sla_breached_at` = `sla_due_at`
            WHERE `exited_at` IS NULL AND `sla_breached_at` IS NULL AND `sla_due_at` <= UTC_TIMESTAMP(6);
        UPDATE `lead_activities` SET `overdue_notified_for` = `next_follow_up_at`
            WHERE `status` = 'pending' AND `overdue_notified_for` IS NULL
            AND `next_follow_up_at` <= UTC_TIMESTAMP(6);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE `lead_stages` DROP INDEX `idx_lead_stages_exited__1fd88a`;
        ALTER TABLE `lead_activities` DROP INDEX `idx_lead_activi_entity__ecd2c1`;
        ALTER TABLE `lead_activities` DROP INDEX `idx_lead_activi_status_511193`;
        DROP TABLE IF EXISTS `activity_counts`;
        ALTER TABLE `lead_activities` ADD INDEX `idx_lead_activi_status_453f75` (`status`, `next_follow_up_at`);
        ALTER TABLE `lead_stages` ADD INDEX `idx_lead_stages_exited__6aedad` (`exited_at`, `sla_due_at`);"""


MODELS_STATE = (
    "eJztXWtz4ria/isqPnXXprMd0rfNnDpVNKHTnCGQDWT61BmmPAYU8Ma2GF9CZ+fM/vaV5A"
    "u+yCCBDUatL93B1ivbj27v5dGrPxsWmkHTPW9NPePZ8F7ayLe9xhX4s2HrFsR/sAucgYa+"
    "XK5vkwuePjGphB4W1aakLL2nT1zPwdfx7UfddCG+NIPu1DGWnoFsIhTWb0AXLKEDoO3hGs"
    "4AWtnQOQPeyxLLuJ7u+S7Q7RlYOgZyaInpQrfncAYMG3gLCPBjbJe8ASK/dfqqMzTFjzfs"
    "eZUPGtsmmrsAOcBfznQPV49LWeCVq5vQtfS5Db1zPX72uQOnyJm5r6+Aabge8JCHcQEO1G"
    "dEzoX4Ma5HfqHHsU2BxO+Pq8YlgWWYJn4sftgjcNDKPScf6dvGHz7UPDSHuAIHf+qvvzaC"
    "r6O3Xehoxow2RtQ+5GPJheBzyV/R1zZ++w3/MuwZ/A5dUhX5uXzSHg1ozlLdI6iSXg/qw9"
    "e6tveFFiTYT3A3MH3LXhdevngLZMeljaA/zSFuAIwbqd5zfNJFbN80w04V9ZrgK9dFgldM"
    "yMzgo+6bpKMR6eAF1tcamtYfjLRhZ6RpjVwnjCQS3SW8NMVo4wY3SHcmXz8nr/CmefHu47"
    "tPlx/efcJF6GvGVz7+FTx6DUwgSOHpjxp/0fu6pwclKMZrUBONxYlsQmI7vBGYm/CNLqwB"
    "Xg/ck0F4jWiuz6dxbS90p2P7FgW3i99Et6cwB3KukgzU+APqA3Wj3er1rsBUN82x3bltdf"
    "EPaOkG/nXb6Yy6/ZsrYEFIppWxjevp4IcgD47t4ag1ehhq7a+t/g2+GEwOWjD7je3WcNi9"
    "6d92+qMroLuuMbctPMmM7S+DXm/wTXu4w2+PTBOtNH+ZnXsLmtrSv2smtOfegrTv2w3t+k"
    "vrHr/W/avm29ekboSXlGDJ6Yd3mvRWuunXs9subZ6YG+vc2Hed/jVt0iW0Z7RJ24Pbu15n"
    "1LnGfQBZSxPid8RXW/12p9ejV8n3miac7dJMFzzNdFHcTBe5ZoqXnh0bKilf66bCwwQv+m"
    "hFxuF19+GWDMOZ4Vtj+2v35usVWBjzxdh+uL+hY8x38GvntJjjNNE00v04F6W4/OGWpLcn"
    "sh4FipnYGp+SUat8iCrRTB+fmGrUWvtNI/wFORAvXD/Dl9yUkoE1NH46cUUnBvBfUR+Krq"
    "4VZUdfxep8umvh78dfjdeLQIsYtlvXnQbFeaJPn1a6M9NSgJM7qIkyV+Ky+VtW08pe0W19"
    "TuEh30HeOjI7YxWj7Tsuchos0zRb5myjdRqX1qa0OKeBOvKdwOIixp+DZ7bZGwdNsDGo+x"
    "56s66VFNHt0K7EOhKY6N50Qa7awIYrYGKjDtuG+hOxEEmdOQu1sieN7d/J/+ANLvAf4AKM"
    "/ebb5gd673di1iIb4oVp+kQsTaL3QPIUbA0jbAWjKXRdXJGLF2NISzrYZCXgFFmfyoI8og"
    "VJ2jQP62djXohsJCHNWv1fzebl5cfm28sPn96/+/jx/ae3Mcj5W5vQ/ty9IYCn1KTarugn"
    "36tz67nIwrN97R/YcITwP5Wv/EdtiKrW/b3W8hBLxgq+Rrl43aavakC+1boYKLVQ1Wuhov"
    "/nYCUmPxvXqHw5Jv5xoc2Y63z2+iaDPe/7gh5x8DG8X/8YDvpshJMyGZRnxtQD/6YRi6qU"
    "gsbfHn07iKpMfMPEb+Kek8f+vVHtVMkCnWBEarZc9w8zifWr29Y/s83Q7g0+U8iQ680dWg"
    "ut4HPWieJAApmmMzwp1/iOZ1iwwJ2Sksw2TSh6Hv1xgtZqg4S/Brb5Eg7EDU0z6t52hqPW"
    "7V2qfa5bow6506RXXzJXX33ItFlcCfjWHX0F5Cf416DfyTZjXG70rwZ5J2KHaTZaafosMW"
    "dEVyPUUq0exAR3afW0pGr1urR6hFGi2enbC+ivjPDUOmSesdzCCr78fA9NanYX66y5UP2J"
    "dYgi5TU1oFZwskDoSXuCL3vCFSif34L6foYyufnSBuoz3LtrdUgdA9+boO/SwvR9iZy9ca"
    "KVyApR/E2aA0sA6yaq7h7KjJph40kZ7olVl1YiK0TUY70fQD1chazwrOlj+2MUKQnSYhWH"
    "ScoAK65MVrjIyCtF+SRwSa14UqQs6On743Qb1iIjTK6nz8uYp4akHllBWuJv0yx9uWT76E"
    "SwusNV3QY1yYpWoGxq+P2mPnnAnogF2mYnqk1y1NzpAs58c98hGYA2DCuTHDMPWktT31tn"
    "DzAbhZXJihlhoO8J1AOuQlZ4In8V/lDjGTp76/Chv+o6qI5HjQ/d1LVHTYhOxlL4Q15XMb"
    "4RB4DDlcqglkkEs3DwPuElLQzjpz2pWwL6L1rWkcvBxFvAgIY2Ay6cOtADOsC1uIYHwSNy"
    "LHzVnrmE0PbPN+HLvMFv8xPl0+HHgBmcGrNgg1bInqMctjQJr6KHKP5BvfgHT7BgxwEb1r"
    "C4dOyDD+84yAcf3hVyD8gtFeeWO+LJE+d24DN62qnV05IltHo9F+K6NzIjrJ1v5ZpwXY89"
    "jNXulePormensnuFhstjE42lMacKbFaXSdGM+ciRVsEGiIbrAZUHoTzWaj0EDM8FDkKW+x"
    "NYOYbnQbIFZIprsXHhKI/BLK8bl1Hp2B7bt7pD95oQFTms0EErUgM0H8Er3QYPd2S+oxtd"
    "wP99fPv2zeTFIztPVq/BDPkYmVmwSQbOEDDRHEB9uqD7XkjOBJJWAd8kqt9Ed+E5GNGipo"
    "6Vcwct3TDRAsmgQF+RvvrSQWSmxH/odL8LLmM4wXcW5lngVeCDJmTNmsUKZ1JGOq3z8gOH"
    "1nmZXenWWie5xVLv99pDUPLwD9kyRYN/TabZNvTRumSp9PdklhAX/pFL/fFrUiH/Tcg63b"
    "TfSDID9SC7jYrNWNJwQvCHAjIpYofe8KVm82pm87psDjl2r06B+45nd8i74s0h7/IJN/QX"
    "E+mM7lu8NSQhcvidIcexzSvZAxJmaxLalpOUqce2HPI8tS1HuStr6snicVcqR1ZDObKUI6"
    "vBZckOIQaTNFCRLRsXONtuzbphWU4/1oAmHFklUnaCBTJJpjPqtTF11wudUbjin2gWk8Ad"
    "tSBJPLHpDOb60iR+Hdu3JtBx816tah6xj7uoHpNTHazrysK/pFU1YeM5KaXypexmPlNHLF"
    "abhMHPCCr8+fGvi1802B3HWkbifXMb1o/1Br1K84D8mp5Mk07QM/BrIjEofiEDq6Ti7tEf"
    "xTda2ewd8XRfinL6Fs0gKTEJvUWXTR5XXLPYFdfMeosI541lGxejvJaQEOBPHPh+KoT3Uw"
    "5dw/SY9Olif1BCpB7uIKmytGxKGl0QUDlCouhGmO25KtQzGYp4/PsXxf79i5x/H/dhqIk6"
    "+VNCO2FdM2ZYJgH6+/ccMONSxSnQyb2Mso1Wmmj25pTMTlp23XAuOYeza/wv1AghhTFPFM"
    "ddU0IKVkZc1XGQo1nQdcOdn2lkR/B7ke8jKyjD5LDJ2d7552jzwhf72nuD/k1UPLsaqjiI"
    "ioPEJ0Ts0u4ZWUXdrjV1e+2sEGzntKRq5Vq3cj1CB8eesEvWTBwSs3LJTDcRxJYhqVQ/FT"
    "g+ZOC4qCOXAC/nvv2adV5ebBljN4Uwfg/Qf+j1jhWbz6bPY4RVGBn2iuMrzOx+h4y0rF8g"
    "irWkbme891tKRzk8yE8VnVHRmTq4+CqIzqj4Qb3iB2RQiLRGVF7RqvcA/TRilI3/cYOUMy"
    "cXpUwttTmUN3sPsrLKP1gXh4LiSR/Ln7AeE6L+BIak8ifkAU4q//zgZqQUsMpRcyxHjZdI"
    "GrkntMJZKGvWhXkRzozeAldN0TSsvGFb4GWsPMLesGQ06li5fE8EfrFsmIKew/AwCYbDcH"
    "3MRLGfMHGeBVceGlqetiPwFroHHo3v0I122pAtNA4yaW7F4HRhODdIpfEJw9kMNHtWtxf/"
    "W/kRD+lHnOK+py10dyFi2aeEpEu1UH66RmjphikCcCwgA8vqAEdx1oh4UVPlue6OEi7mhe"
    "/udsqjq/hTJ9G+ih9ZPInK6/+M2k7UT5eTU35QFuNbeZerYKth+0eQpbaWUIgyEKWLtOgU"
    "kBZSzmTlTD4a6w+ZpTiSkVQHP2VBTUyCKUjvsQ5x322PGgWKweE8x6eKbE4Z2t5lw8lTee"
    "W3QJteZGpFT6UH8jJczNFBvcUOZnrSZkSM4jsWiIiAV7HguTEDhgvGDS+6Z8zGDZLFyXlZ"
    "LaADX/8EprpD0qnTHE9T33FIgie0wp2EOpGDXd3s44GqfNje6UlSN8Ok6+yb643rG+sgQT"
    "VCl9LCI3A2Fg4O48J3w6yVWwUCbyLjqXgow40vHfylTRe6PY9r/7Ox7p0NF+rOdKF58Du9"
    "R/xpJMM7jTqFuIZ9MxyE8SSDh020axILOzq5GIwj5f0/lPdfOaYTjun3XI7p9xsc0+/zeY"
    "DpEBMAOBaQD+BLHnwvi+G9zKH7aDiut0OOi6SUfDhXEmGhWflEkU4JKaC5gH7EDxbv0kkh"
    "+YBucgHd3AB0Mw90rONrovsJ8pJ77SyoGfSH3lhAHk+S1kaBGaGwT0ZWhffqHN7LWjn52a"
    "1j+1bO55DWjzJ11HkHW+NLq935PBj8TKqbwglCT2O728cw3ty3bq+AQT5y7ujW2P7W+Tzs"
    "jjpX0TG4Y/u21X9o9a4Atv193czayFzLU+kpxVzkO1OoLfU5O/ixIYFbTlK+Vap83lASNV"
    "GVgCUrH+aVGG2b8hNun6GOkqvQhquG4OTU73zDGMPV2P5vPNF0v3Q711fgDzzXGPirZ2O7"
    "PeiPWu0RuYqbwNOnHrl628HrSP9GG7a/dq4feuSuBfHaas81d7qAM98kpe7uB3eDYauHH9"
    "4fXZFz//BaopsaWazHdr9zMxh1W6PuoE/eYI48g3JH8TRIrqzIX73BEAuaKNCgxBVGLn1x"
    "g7rI7hNJT5igqsKsQBFV6qLA8BBVYsereOtnRJWeWmc9VdHQfsTRnYjjCLZ6WlK1el1anT"
    "HYw7dPnu25jl/lmr04HWpGTAbFelOjVpEMlRXG5AzvsUQV+UtxPw+DKiUlWNDTxYDNiqkD"
    "pBRZsXqyIptZl5pASwBYbgIYa7nZY1+2PvWMZ8MzWKntRfZlE5JXK6hLpr7N6KgWtL0ywI"
    "orkxUuEk8oo1sNvTDLvywg5UmYjPU8j9vAhiOE/+GcBgl0t2FFJ7WQ886EWR2G4xjVvfmt"
    "8RRXwHNNToFb+K7pmZcjsQKY6gQu+IbQ3s4iT/cZsJGHiz8i00SrN/7yLGSXgsC7C5AD1h"
    "MXMNEcfxxANtApdfWnrEe7queMbR2EhxjRPA0rw1uA321ss2pBlZq/1HTvd8Ks1ddPATMf"
    "Am8Bd8zlQJHm4c1yslfX8ZTcm28svXQM5IT9gkcy7BwvwaDe9lbFJxaiZ+hgBDXcdjSSgp"
    "/rFLyDIrsekuyaa+Bdonu5SmpNQGi3er0rOrmM7c5tq4t/UAZvHMeLo3djG9fTuaIzztge"
    "jlqjh6HW/trq3+CLqdjV2G4Nh92b/i0N7a3nn7H9ZdDrDb5pD3dXIO7n9YjeJWHJNXyxly"
    "8jVuemrq2bj3QohkZaDHosoJyqO6CdW2RyyG+OZTArUOHK+kQwGLS6hKKzE6UuIX9AyooF"
    "Z4ZvNQRXNLzAEFrIiqxg192HW7KAkXrG9tfuzdcrsDDmi7H9cH9DVyffmYfWvji3m4vavY"
    "HZLQGraLcTUBt3nf411S1CecIlur3rdUIuUXiiGb7a6rc7PcohmpKPNk04q0dbFenwIjNp"
    "UR1qMq3zZKq4H8WD7jRZAIr78SO2Og/3Q4XHG1WFx8Uj4wrRTamRBAky+/JiZERUEQ2OQD"
    "Qww0Qke+Ia5TORFNXEBMiVtueAlI1ThbSIqrHupsfL2JPgIRTFNFNMhW1RzTRHYntYc0By"
    "tqMVNs9T8UP4jP+9IpE/QPaTg4Xhesh5Aa/inDtEaIHwZ9JCqRw7r/NpfKp7zD4xyeRODL"
    "7cOpwSKqB3jIAeK6DDH8mrf1ynEQTbokDb2L7vRFewYRZee+hH13w7uvb5offzFZj45tPY"
    "bj2MBrgGbArt5F4rfR9x9OZkPtDIj6JWLMi/wBaXIV6UCYS+f88TCX3/vjgUSu6pgFwNdj"
    "nUYc9g3ZS5E/Ut8R3qONup0ZNyKlJQH+dhvoXj4Tl52WcLU1pa7WLKu7/URjG1UewkUVWe"
    "8LIRXTrw2UC+u8NUwBJVU4FyjSvXeK1RFXKNq22NItBu3da4Ze9oqLkqnHlxTqv6HFCn1i"
    "yF8xacWSt87WI/beQXh32Cm2dbIz5TUo4z2EPqdWkMJligoj1kZyBKpUmPR6DRlbNwY9kM"
    "GDaNvbj4HTHWuu0G3nKg05hMLtRTxUPGtklrfeXqJnQtHQ8h75xeOg++/zXuBsjDX41rpB"
    "foM0iNS2MJTYOeTKzTKy6kyTbJL/Q4tmlxsivOQavCIyF+Teg+CfZtJv8o/STS2X7LRKBU"
    "KOiQoaDTI1fvEApSGRtF9nypbMMnnm04nlr5p8ukyOEcKG9rPWkmM62H6gUnmnF5BaVymC"
    "rfU41NH47DKo9n8tCMKAUWT5QtZYvBE2Vn4TiojtgRS+R41BjQPYzvxKdWBXqM8mJQGyFo"
    "YoAXdrzoPUEX2wr42cYzpGfIYe3AwlYH63C6Ch7AtD6yukeY0D3hEAvHR9byyJ7y5qApOZ"
    "GN6HuxnuvAKcSvUsBpo48lNk0+7YVuLXU89th3fc/SgteMfkXlg8LbX0VZTYe0mpSKfOIq"
    "cn5O4OXQ5SXr3HA78ucump94EG9+Koac3MvYleKnn6hjT4SOPYmWHwGEEyIK4e0IC08X+8"
    "0SPxi6SSVJAOOMmEKaA+lwz/1OZ8dlZBXbss5sy6SVINjQGVHFo65Lw/PwqKnq5DtCh1Qn"
    "ZeSbRd9fNDmmUVyqcB6l9zJbzFOWOy/QaSn5oK7kgF8C2jr3lQjUaykFNTfUsQdKEOyknI"
    "RwV3FuIoHNg45wv45kJIS5sl6NbA+ygnlbOvVaTIHNBTbTZb2Tn5RV0QFz+UVacEOsLRr3"
    "nXan+wthjUQ1ULJIuzMckovhZ5GrX1pdyi551I1dE/mV7iAl7+I7cIdNxnlJ+UZMJfuLVW"
    "i8oULjpxAa56EDJ1OIR7HbPOoix6t8g5MFQk/XQXU8yNdsCikCnnHGygYewbZ9MBGk0Qks"
    "fOfWSIamINEiOLWngGkRH+mzhWqxPkKI53yUJR4RaBbyHoC7JIl6DJueNhJoOQEXAuEb9O"
    "JCd4GNAPxuBEkz8/yKkurcJ0UQvg6dzceR8JSMX2h7yezNpKRr6toEayGEq5u4RFILK8bE"
    "oRkTiZbKgbstsUNSUjmhT8kJnRqPQo2eFFQBpjoHmGa+QxUMbYF8h6HjXcOpYekmu53zwt"
    "nGDqTPw1qkaurrTrt72+q9unh7FsQccLMagYodmZDvcn4VlYXqkFmo6Kkuwe46zYF/+IYD"
    "hagJRfIytMUBXCIJfU1wAUlLqhWkzisIQ1EXbeqMuGrvOre3OjSieE49TVuA0ezq0IgK7W"
    "yVKqs6RFN+Kk5MUzIK1VocxVGzBVzFtU4orqXSjVWabqyIELITqMO4MkmhTS0uHB1W5bw6"
    "8WNOwh5dHI8M+/v2gCQuyBuSvIeP0IG4RwBaC9mUTYKFuM8svHVeqKhO8GpuoomOG8CFcA"
    "ZnjFNMyqhwezDysFE8nllF6jAe/T+H6wb/p87cI7QjX++40KY3E/BQJjewgPMk4ORr5RAu"
    "du9nxGRwLB/ayW+41EX/zOjZnxHCc6ldMGsk5TLAT7BgVTpJ1OsPC/3nwaCXgv5zN4vtw+"
    "3nzv2ri0wsi5FPSZ0VLJkDsIgMkLNYeRiDaybV7mzBFHPrxPpAOURBQcVz4C3b+C+W1hnd"
    "2qhyIm+J33jGz4BDNnxDBikgUiTvKTZQZiSFqU5S/+A/F7q7+AkXM1+o4mjDFXS9IFnQ0n"
    "dw54TAcAFhg7LIcGVXz8OLS7qsgirIn4k5KySpLQ08qhQJ7fBpe9aNstNOlLV4nXO+NH7p"
    "3He/dNth1lHCvX40pmHa0bvWcPhtcH+tYUO3Q/KV6q67QnjywD0SemO7c9vq9rSHO7JgXA"
    "Fo6YapBVG37BjjIgWUnpyUvpGIBRIL1LnJ6rRxi8yXGpkcRVBOCUmIdAWZZDwPWkuPoeYM"
    "Ld00i09mSshJk170svnxQzzZkx+b5vnhbavXY2QWXS+rgkZFWlJCo+JEjAgu8gj5NN/azX"
    "hMiyqSUK3bWfkIfhAfwXFpArVr3Gp5AocNDtYN3H2jg0dOCn2HL9/qy2XwiTk/TfL22SZf"
    "Dc3zZAUlecODyPegC76E2V//sxtlfAXE0wZaM5e4TsiuQlI58BD9O+BaMGKD+9a2MfEz7b"
    "Zh5lB1ukwd8iSLmJKpVpTPkiw/VccR8urWG+LyjXWKl2jsOyUkQ1z2AJmwlNZfjL68Wr/a"
    "GlDWYqwYwjIfCnMPH/GgW4zQE7QbDAMgdX+jBeAEJbECjYvyhmxtgJY6OZollAZUGrwifv"
    "8wwPr6HNCnx/q7ieaGDVy8SEKg45otw2TYA+VWzROqDYoHAdmEtefAZ/wMFas9vukQNpCA"
    "vrWWkFCnveQxGy6LzYbLnNlAR5hwoC8tJR2ts3zTQYWltq3HdddgucIVeA3ZaUOzq8JRJ9"
    "G+CcVAsInTkqqV69zKyv1QvE7K635QQUcVdKyB26GmQcd7SA5t7XyHUz/8cobfIV3kbLPr"
    "gRTWYFSaz/tQjDYzFOiSZEC+GZBWEwk/i9OY4s7nRCxtZekf0tLfdDwAG9ljnANwwgHC3T"
    "KolZo9rW6Qn4j2wqW0JmYuwSZOS0rYzBIrrVNkLYmGsBsRNi2rjNI6j2/oOMjRLOi64XbG"
    "dFMXbw3PCcpAQjj05nAHTpEzc7X4vB4BDZApq5JZMfZuKAJABaiGlpYQqikZ1VUZ6QFDy1"
    "IwQWBaSgGr6CqHpKuwOnAJ0AZ+n2GiwtPqwrwIZ0ZvCmP8DqD/0Os1GFNvCRDfRIDexzXK"
    "iXFq4SlA+JgO0LiXF/o/k+Ngq/sz6lIVeD83+znXSYsowSmVw4ieVuD4tnKCHp7uRE6HgP"
    "ZUjPGUFJLQFfqJwxP6qdAR+inHeDIsqKFHbaYLoZwRkxBnnpM7is/tyJ3agYEieK0gfMrj"
    "vDm7QUZUIj25jBQHIToWsj0GaY8L2VhWQfuXygEo6mErMQdgUtfIQb7ZfZ0RVd7rOnuvTd"
    "3dtZ0zoqqd69zOijpXvEzJG4VURznJ1uqMwa6OcjpIZIHkdTPx54vhmpFSyKrQwtFCC1Ff"
    "LC20MEpUKCnEmfEryvxNbjRLEmozJqxA5mwGmfckterDps/O9NfCIEGyR28NEkR94+BBgu"
    "j5pGcE+6DZIYSzdHZrFTI4ZMjguGexHFtFqP7waXUgy/E4d+vpR6CDZ8Qk7OeXTZ4sAM3i"
    "LADNbCd/NEwPOgyV4R/DQb8g6rgWyZrtxtQD/wam4VZmdTT+9ujbU4IimPj4RQzbPSeP/X"
    "vj8H2fQLS572e7+VnaFCcVZPv+3EH+UpsIRSiTMjLMNwfIcu+SmUIM5YTI4aaWjHf0lNFG"
    "zoy1DXQL4LHUATG/7gzbh0GbJ91IcbaRXLIRB06NpQFt1rECxRN6Wqoeczp5njRzugouqw"
    "PmarO2nmZYQgWjfsRW5wlGRSN2IhiQyslJxIhSG7Nqh6qKRx0+HrUe4iWAy5l9pmYTAi+y"
    "udlQeAtG1n23ZxhK2o0vzM1YpcTsBDZincoEUG3MDhVs50FbN/GgQ+zcOWw4jaeXqHhaZf"
    "G0GiXB5TrYYcO5DupYB/kts1IPfDfsZ8Pbdw3s0kpOsAdwKQokOeCeAEmWPrFS1YCoUpY+"
    "9Aq4PMnbGxUFlxbU3LjkUfSFJygU6AqLS7eulZXcvViFeNZNX0iHiAUkJCtcNHn27+JSxZ"
    "HEZm4Pr/LxyqZJFPl4BTSJKlcCumoyloBoNS2e++Ml+6DMTRSkKdnE2lQ8zYPalaQfiNqW"
    "SRnp1uHy7UusYxmmCL6xgHTgVsLfWequu0J4KhU9LignKKGeUwn5+NFwXE/4yNG0lIRYlz"
    "910E3mojinhBTMHDAvMURip+dGAvIRWps86DaL0W3m0FUEswMTzDBwz9Ax8FMYGvM2yJOS"
    "BwQ9vnKyqLvQdfGLEQBd5q6c4vyrecnDMVMuqppVSib70FWNnqq6a7KWpLBK11Ifh0qeK6"
    "kicsXD6jT9aIoh+yO2Og9DVpE4q1gtI08rP6YJCYXodlqsg8pJUo6kYsSdZfNmI3Ze8ns8"
    "a9x326MGYyooAdUfmGq8RpYvLUsJZNjOd4k5sPEnaYo4zA1aSJnSXGgzdDnFm0rjpPnMg5"
    "sqgekUe5OJdd89h10PVyEpOtRFanjGvgxFAlErqEumlTONletiPcIim8k1S5+xHNKiiMU1"
    "ytq91pAptIQ6mIncPRe/HwIyrMvPy5i7hl54jqSEGCFviUvM9oVp4C3baCatNuXARwe6C8"
    "1DT3D/PJO0rhGpSl688nkc993lJ5AT9VQGYpX8zW9wskDo6RqaxjN0iHc3R+XMFjnbxOpc"
    "BYWJP4CUNjj3ATZaNjDsCfLtGSBzKWjNXDBd6PYcggl8RA4EhgcMFzjIx+0JPAR0GwROCP"
    "DKty38Rvjykszk+BGGCRbQga/PGxnkq3wOg4z6a4P0RVytRWO3yHemUCPWBOWg5qiqZB+E"
    "TwFz4BRi/IK8oTmuakE5xVs9JG812bLcrJ2EjIS8qIsPPNzKbKgnQa38kGdWztlRhE2cyn"
    "lBGEEGiMvapJNMPpealQSQzktKCHgl23SW+ouJdAbYxVnoEiKHT0F3HNZIJcnm1mtnvpt3"
    "bN/KBXjSXT6WPmC+xWiRb4g1QeO+0+50f+lcX4GohrF9dz9od4ZDcnHpoCl0XXL1S6vbI5"
    "eIRhM+5+hTP3kX34GaA3WXRWbbQPPOSUpIkq2CVa97xBRj+dk2H56YlDtc6P5ttYpjGccm"
    "JtXzHKabGUUZUUUpqguliIdIFk+tOzR8VlYRRevDHcu39HHIYzVr0NKZ1sSisCA2vIVwzY"
    "opaGuYW7Fm+O7Pd1on/2N24RKwJY7K27AqOdHNjlzh7IpVushb0DGmiwbDMx7eOdvkENfX"
    "ZeRJhvej+34Ld1htSGVTuLVKBi9ZNeYoHlQCCIfFJUS3kqQF+Ikekx1Z7INMiCgfpKAP8q"
    "j5ev76f6srbn4="
)
