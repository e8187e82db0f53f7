from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    # The statuses each lead held and its first owner's time come from its history; the rollups
    # themselves are counted by `salesmagnet migrate` once this ran (they need each entity's
    # time zone, which SQL here cannot apply).
    return """
        CREATE TABLE IF NOT EXISTS `activity_rollups` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `day` DATE NOT NULL,
    `user_id` INT NOT NULL,
    `activity_type` VARCHAR(20) NOT NULL COMMENT 'CALL: call\nEMAIL: email\nMEETING: meeting\nNOTE: note\nSTATUS_CHANGE: status_change\nASSIGNMENT: assignment\nFOLLOW_UP: follow_up',
    `status` VARCHAR(10) NOT NULL COMMENT 'PENDING: pending\nCOMPLETED: completed\nCANCELLED: cancelled',
    `priority` VARCHAR(10) NOT NULL COMMENT 'LOW: low\nMEDIUM: medium\nHIGH: high\nURGENT: urgent',
    `count` INT NOT NULL,
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_activity_ro_entity__3a4c2d` (`entity_id`, `day`, `user_id`, `activity_type`, `status`, `priority`),
    CONSTRAINT `fk_activity_entities_9bcdb799` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='Activities per entity, day logged (in the time zone of the entity), owner, type, status and';
        CREATE TABLE IF NOT EXISTS `lead_rollups` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `day` DATE NOT NULL,
    `status` VARCHAR(20) NOT NULL COMMENT 'NEW: new\nQUALIFIED: qualified\nCONTACTED: contacted\nMEETING_SCHEDULED: meeting_scheduled\nPROPOSAL_SENT: proposal_sent\nNEGOTIATION: negotiation\nWON: won\nLOST: lost',
    `platform_key` VARCHAR(16) NOT NULL COMMENT 'FACEBOOK: facebook\nINSTAGRAM: instagram\nWEBSITE: website\nMANUAL: manual',
    `owner_id` INT NOT NULL,
    `reached` SMALLINT NOT NULL,
    `leads` INT NOT NULL,
    `assigned` INT NOT NULL,
    `assign_seconds` BIGINT NOT NULL,
    `cycle_seconds` BIGINT NOT NULL,
    `created_seconds` BIGINT NOT NULL,
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_lead_rollup_entity__0f80b9` (`entity_id`, `day`, `status`, `platform_key`, `owner_id`, `reached`),
    CONSTRAINT `fk_lead_rol_entities_6e711171` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='Leads per entity and day of arrival (in the time zone of the entity), current status, platform,';
        CREATE TABLE IF NOT EXISTS `stage_moves` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `day` DATE NOT NULL,
    `from_status_id` SMALLINT NOT NULL,
    `to_status_id` SMALLINT NOT NULL,
    `moves` INT NOT NULL,
    `centihours` BIGINT NOT NULL,
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_stage_moves_entity__c299b8` (`entity_id`, `day`, `from_status_id`, `to_status_id`),
    CONSTRAINT `fk_stage_mo_entities_ae8f798c` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='Moves per entity, day (in the time zone of the entity), status left and status entered,';
        CREATE TABLE IF NOT EXISTS `stage_rollups` (
    `id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT,
    `day` DATE NOT NULL,
    `status_id` SMALLINT NOT NULL,
    `user_id` INT NOT NULL,
    `entries` INT NOT NULL,
    `exits` INT NOT NULL,
    `centihours` BIGINT NOT NULL,
    `centihours_min` INT,
    `centihours_max` INT,
    `over_24` INT NOT NULL,
    `over_48` INT NOT NULL,
    `over_72` INT NOT NULL,
    `sla_closed` INT NOT NULL,
    `sla_kept` INT NOT NULL,
    `late_seconds` BIGINT NOT NULL,
    `breached_open` INT NOT NULL,
    `first_moves` INT NOT NULL,
    `entity_id` INT NOT NULL,
    UNIQUE KEY `uid_stage_rollu_entity__01701f` (`entity_id`, `day`, `status_id`, `user_id`),
    CONSTRAINT `fk_stage_ro_entities_4e4be7a9` FOREIGN KEY (`entity_id`) REFERENCES `entities` (`id`) ON DELETE CASCADE
) CHARACTER SET utf8mb4 COMMENT='Stages per entity, day entered (in the time zone of the entity), status and mover, with';
        ALTER TABLE `lead_data` ADD `reached` SMALLINT NOT NULL DEFAULT 1;
        ALTER TABLE `lead_data` ADD `first_assigned_at` DATETIME(6);
        UPDATE `lead_data` l SET `reached` = (
            SELECT COALESCE(SUM(DISTINCT 1 << (s.`status_id` - 1)), 1) FROM `lead_stages` s
            WHERE s.`lead_id` = l.`id`);
        UPDATE `lead_data` l SET `first_assigned_at` = COALESCE(
            (SELECT MIN(a.`assigned_at`) FROM `lead_assignments` a
             WHERE a.`lead_id` = l.`id` AND a.`assigned_user_id` IS NOT NULL),
            l.`assigned_at`);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE `lead_data` DROP COLUMN `reached`;
        ALTER TABLE `lead_data` DROP COLUMN `first_assigned_at`;
        DROP TABLE IF EXISTS `stage_rollups`;
        DROP TABLE IF EXISTS `lead_rollups`;
        DROP TABLE IF EXISTS `activity_rollups`;
        DROP TABLE IF EXISTS `stage_moves`;"""


MODELS_STATE = (
    "eJztXelz2ziW/1dQ+uTUKt5YzuFxpqZKsRVH07KdteTO1ERdHFiCJa5JQs3Dinum929fPP"
    "AQD5ACdVIMvnTHJB5I/R4IvPv9u2HSMTGc4/bI1Z919+WCepbbOEf/bljYJOwf4gFN1MCz"
    "2eI2XHDxg8EpcDBUG8FYfg8/OK7NrrPbj9hwCLs0Js7I1meuTi0gCubXiYNmxEbEctkMTU"
    "TnFrGbyH2ZMRrHxa7nIGyN0czWqc1HjKbYmpAx0i3kTglij7EceAMKf2P+qmM6Yo/Xrck2"
    "HzS0DDpxELWRNxtjl03PRpnoyMEGcUw8sYh7jKNnH9tkRO2x8+ocGbrjIpe6DBdkEzwGOo"
    "ewxzgu/EUfhxYHkr0/m5qNRKZuGOyx7GGPyKZz5xh+pGfpv3tEc+mEsAls9lO/f2/4v47f"
    "doit6WPOjJA/8GPhgv9z4V/hr2389hv7S7fG5AdxYCr4c/akPerEGCeWhz8lv+7Px651Lf"
    "czHwjYP7BlYHimtRg8e3Gn1IpG6/56mhDGAIYbTO/aHiwRyzOMYFGFq8b/lYsh/ivGaMbk"
    "EXsGLDSg9l9gca2haTe3A63fGWhaI7MIQ4rYcgkujRjajOE6LGf49RN4hdetk7cf3p6dvn"
    "97xobw14yufPjTf/QCGJ+Qw3MzaPzJ72MX+yM4xgtQY8ySRDZGsRzeEMwifMMLC4AXH+7B"
    "ILxANLPmk7heTLHdsTyTg9tlb4KtEcmAnJkkBTX7AdWBunHR7vXO0QgbxtDqXLe77A9iYp"
    "39dd3pDLo3V+fIJAS2laHF5umwh1CXDK3+oD2472sXX9o3V+yivzlo/u43tNr9fvfq5rpz"
    "MzhH2HH0iWWyTWZofb7t9W6/afdf2dtTw6BzzZul994cVpv4h2YQa+JOgb9vCvj6a/uOvd"
    "bdUevNK5ibsiPFP3JugjstfivJ+sXutgrPY3tjlZn9tXNzyVk6I9aYs/Ti9vprrzPoXLI1"
    "QM2ZQdg7sqvtm4tOr8evwu81DDJehU0nMmw6yWfTSYZN0dGzIqPi9JVmFftM2KFP5/AdXn"
    "bvr+EzHOueObS+dK++nKOpPpkOrfu7K/6NeTZ77YwUsx8WjULZT/JQisbv7kh6cyDnkS+Y"
    "lTvjEzTqlA9QBcn08UkoRi2k3yTCn6lN2MH1C3nJbCkpWAPlpxNNdGAA/xmuofDqQlC28T"
    "wS55NLi/1+9qvZeeFLEf2L9mWnwXF+wKOnObbHWgJwuENbNHUlGpu9ZbbM9BVs4QmHB34H"
    "vHVK7bxjMoU3axQopsGIppRmavPB66mmY/zCtvEJqIRHoU6omwT9QS0Cmhlc8Me+ylUvZb"
    "XTTTxraIVH5Edk0mc21Vx3pyilrS9VWGWUTfa6Sues4F7ZLNA5A54lUb1k4IhhDYancAXD"
    "ByzMY/jH4e6XIgQv24NO6hBXarpS05WartR0pabLM0qp6UpNV2p6JZa4UtOrAvDhq+mRiH"
    "Hh2Q61GyJFPT2mWaiqR6O1ER8uqawPPNt3jIJKbLOdbfzapg9MZ8aeS18vZoUh2AqUZiYj"
    "oQfsjqZw1UIWmSOD4LGDXPwEjlyYM6Oqb+1JQ+tf8H/0mg34L3SChl7rTes9v/cv8D6Dzm"
    "/Q0RM4hEHuIfAUpulTNLPpiDgOm8hhhzHhI23KhjBw8vR2pXTvUekGnmZh/aRPcpENKWpz"
    "Vv+l1To9/dB6c/r+7N3bDx/enb2JQM7eKkL7U/cKAE+ISZU90Q9+VWfO8zIHz/Kz/9YiA8"
    "r+s/WTf6+M2Na5v9ZZHmApOMEXKOef2/xVdSJ3WucDpQ6qah1U/P8ZWEHlF+Majt+Mir9f"
    "aFPqupy+XqSwZ21fxAUDn8D69ff+7Y0Y4ThN2gqvj1z0Hx5YuC2hoPHXR8/ygx8fPN1gb+"
    "Icw2P/1tjuVikCHTCCmU3H+d2IY3103f5Hmg0XvdtPHDLquBObz8In+JQ2otgEINOwwJJy"
    "GXg5cswpCcoiBwn84wC11QZEqd5axkvwIRawZtC97vQH7euvCf6AKwXutPjVl9TVo/cpnk"
    "WToG/dwRcEf6J/3t500myMxg3+2YB3Aj1Ms+hcw+PYnhFeDVFLenR46O4qXE9SKq5Xhesh"
    "RjG287cvIb8K3FOLyPaU5hZM8PmXO2JwtTtfZs1E1B/YgsgTXsUOvVjExfqQLWI96ojZnD"
    "xMKX3SnsjLmnj5Avs3f75fSJ1Mo0ml/pms/Tl2YI5bz32gP2oL048ZtdfGiU9SV4ii36TZ"
    "ZANgXYXT3ZE6o6ZbbFcma2LV5ZPUFSJu5V8PoB6boq7wLAIN18colBJqi1XkWtoEWNFkdY"
    "ULvryNCOwAV62FdY6USVy8Pk7XwSy1hWkj+gwgVW9dxnHxZBN7eh/mqStIM/bbNBPPZmIb"
    "cBmsvrKprv2Z6oqWL5hr7P1GHjxgTcR8ybwTzlZz1JzRlIw9Y91P0getH0xWc8xcYs4MvL"
    "Z+42M2CCarK2Z8w9cgv2hNuPiOf83mqTdSG5EjOFb1FiQgc2ZNlO7ZFHWFJ7QZsx+qPxN7"
    "bT06sBlf+tPJqNKBe63yqJUKgxUp3UE8aj6+YeyShD9DEBJbI5hLBx3FPBW54UdJb8aSQK"
    "QXLe1MkYggnhI/fHaMHDKyiYswYrM4ukvQI7VNdtUaOxCI+4/Xwcu8Zm/zkccBs8egMRnp"
    "Y7/+UxD1y2Nvk8HDW3qIipuqVtzUE8nJlBLDGgyvXdTU+7cSQVPv3+bGTMEtFZ9T70gNmf"
    "gcmzzTp5W4nqTcANereRBXncmCcJwslysSo7/vz1hl3e1Hdm0eStYdD1mJVDSRxJwYUCwu"
    "w9CU+ihRGsdClIfMIE6PAnom1boU6a6DbEpN5yOa27rrEkhdG7FZLDY4LJM6zsrGm5h0aA"
    "2ta2zzHDkQkYMJbTqHGYjxiI6whe6/wn7HE/TQ/3148+b1w4sLGXPzV2hMPYbM2E/uI2MK"
    "5XcQwaMpz9eDkqxQtZXdBNHvATvkGA34UAMz4dymMyeo4woFWvkr8lef2RR2SvYPzPP02B"
    "jd9n9nbhlXWQHeZ6Fo18wXOOM0tZM6T99LSJ2n6ZNuIXXCLZF4v1bu04Y//yBiLe/jXwS0"
    "Lfv06WLkRtN24nWhHPJ7psrT97hA/lsp7bQoT7JmCupOsiTz1VhgXCn4A4I6CWK7TlRVu/"
    "l2dvOqJLXte1UnwH0rk9X2Nj+p7W22UBB+MSgWLN/8lLYYye4z2vajm28ldy2oMlcqnTBO"
    "U410QnieSidU5sqKWrJkzJXKkNVQhixlyGpIabJ9wsAEBuXpstGA5nJt1gnGStqxbnmhpH"
    "ms5jKaUgMqNHKrjYEdNzBGsYk/8upLvjlqCj2CmOqMJnhmgF3H8swHYjtZq9Z2HrGOuaga"
    "m1MVtOutuX+Bq1pp5TlOpeo8raY+c0MsE5tKg58iVPjL418Vu6ifoSo6RqLc1YLzY5Eku9"
    "X6Rd+Tm2ncCNpE32MFjdkL6UwkLW8e/Vlso1vbvcP475e8WuR5O0iCrIbWotOWjCmulW+K"
    "a6WtRRDzJtKN81FeUNQQ4DMJfM9y4T3LoKsbrjB8Ot8eFCOphjmoVtWliord5zhU9lDgvh"
    "FUqd8W6qnKajL2/ZN8+/5Jxr7P1jDRyhr5E0QrYV2xyLBU44Z37yRgZqPyWzfAvZSwTeda"
    "2arzCZqVpOyq4bzh2vOO/gfRICBFsE/k+10TRApWgV/VtqmtmcRxgoziJLID8iPP9pEmrM"
    "PmUGRs7/xjUHzwRbb23u3NVTg8fRoqP4jyg0SdbVbhe4pWhW5XOnR7YawoyeckpeJypblc"
    "DdfBvjfsDUsmNvisHNjpHkpiK6BUop9yHO/ScZy3kDcAr2TefsUWryy2gm83gTB7D3Rz3+"
    "vtyzefLmEpcKsIqlzm+1eEFTZ36WlZvEDoa0ncTlnvl4wOa8PAn8o7o7wzVTDxbcE7o/wH"
    "1fIfwEdRhhvheBVWvQboh+GjbPyv45ecOTgvZeKozaBcbD1I0yr7YFUMCipOel/2hMU3Ud"
    "aeIKBU9oQswHHhXx7cFJUCVhlq9mWocWPFSNeEtnR104otYVmEU19vjqkmbxtW1rAl8ApO"
    "ntLWsLg3al81og8E/nLVMEtaDoOGLgKD4aLVS76dMNZTRqoODR/P+YjcKXbRo/6DOGGmDa"
    "TQ2NTgtRX9ruhkosOkUWf0dAWaNadbK/5b2RF3aUccsbWnTbEzLaPZJ4hqV2ph8+UaiYl1"
    "owzAEUEdoqx20EK4QoEXFRWeq24okYq88JzVutM6Kn7qIPir4iPzN9H62j9D3pW102XolB"
    "1UFPGtrMvbiFZj+k/JKLUFhUJUgCg/pMtuAUkiZUxWxuS9Rf1RYyOG5GCamoIa2wQTkN4x"
    "GeKuezFo5AgGu7McHyqyGWFo+ZINNk9llV8CbfKQqVR4Km+KLTAxh82y8w3MvI1rGBgl1x"
    "YISNBRRHisj5HuoGHDDe/p42EDqjjZL/Mpscmrj2iEbSinzms8jTzbhgJPdM4WCTci+1nd"
    "4vZA23zY2uVJEjeDouvim4vE9cI5wKkG4VJa0AKncLDfjIvdDapWLiXwrYmCp7JPmRS+tP"
    "8vbTTF1iSa/d+NxepsOATbo6nmkh/8HtjToMI79zoFuAZrM/gIo02GfTZh1iQjtjFc9L8j"
    "Zf3flfVfGaZjhul3UobpdwWG6XfZOsD8EysBcERQP4BPZfA9zYf3NIPuo2477go1LuJU9c"
    "N5Kx4WXpWvLNIJIgW0FNCP7MHll3ScqH5At6SAbhUA3coCHcn4Wtl8gizlWpkFFYN+14kF"
    "8HgoWhs6Zkq5fVK0yr1XZfdeWsvJ7m4dyzMzNoekfJSao8oZbI3P7YvOp9vbX2C6EXmg9G"
    "lodW8YjFd37etzpMOPnNjYHFrfOp/63UHnPGyDO7Su2zf37d45Yrq/h420jix1PG28pJhD"
    "PXtEtBm0bi/XmyVLWb9TavNxQ3HUyooEItr6Yb4Vpa2oPuHyHWovtQotMm+U3JxuOt8Yxm"
    "Q+tP6HbTTdz93O5Tn6ne01OvvV46F1cXszaF8M4CpjgYtHLly97rBz5OZK61986Vze9+Cu"
    "SdjZak00ZzQlY8+AUV/vbr/e9ts99vCbwTn0/WNnCTY0OKyH1k3n6nbQbQ+6tzfwBhPq6j"
    "x2lG2DcGUO/+rd9hmhQX0JqrzAKCUvFoiL4jURt4SVFFWEE6hAlaoIMDKBKpHhtTz3U6RK"
    "Tq2ynOobiNbgtnACxfMq89yG7rZEINP2TWwYBbWnIrLdRfWcpPl5ssZ27XsYTlsf3kfOBf"
    "ijyK/Qv273etkIHhW9+TMeijH3Z0muJykV16vCdcF+Gbx9vCXuwu2bYXt+FeEUWR300SKm"
    "bqOGsMj7L+kVF5GqmEkVMr0bVHksj0lcXA7YNJnqu6ZifLcf4ysOSE1soBsAuN5xk6LjZo"
    "1yBnjk6s+6q4s6QpQpZwCxkW1/rjqtbcFCNYnlbgKsaLK6wgVuuE0sq74bNMeoC0jZ2GXB"
    "eZ7F7dYiA8r+I7kNAnTXwUQHdZDL7oRpGUai+/DaYeHRFpcTHh7fApeEiSd3Xol6JGiEAS"
    "7yGqJFm6GDqIks6rLhj9Qw6Py1N2sGQdnId4ogaqPFxoUMOmE/DlELYR7x/THtCNrWc4YW"
    "RkHvL17eZK67U/Qvi+msmj+l5s007P4LAtLx4ilo7BHkTsmKJVA40jLh5pJB3ws3ZObNC0"
    "fPbJ3awbqQoQwWx4v/US97q/xGn/SZ2AxBjfGOOyDZc+2cd1Ax4ruMEc8weBWneGaSSsft"
    "XLR7vXO+uQytznW7y/7gge+R+ztyeg8tNk/nnO84Q6s/aA/u+9rFl/bNFbuYcPkOrXa/37"
    "26ueYe8cX+M7Q+3/Z6t9+0+6/nKFrn6b1uP07vOCwZxudb+VJkVWZ1Zc18sKAEEmk+6BGB"
    "MqqugHbmkMkgX+zLEE6gPL7V8WAIolFjgs5Kkagx+h1GeplkrHtmo+SJxg4YiKaawwl22b"
    "2/hgMM5hlaX7pXX87RVJ9Mh9b93RU/nTx7Emj75VMipDIiChIiahCMt1rj4MbXzs0lly0C"
    "egjBu/7a6wQheEEjQHa1fXPR6fHQuxH8aMPwAxD2z6s8Gb7MTpo3h9pMq7yZqtiP/I/uMK"
    "MAVOzHz8h1mdgP5R5vbMs9Xt4zrhAtqihWMkBm3biYOiKqAg32EGhgBPV71sQ1LANUU1Rj"
    "G6BUtasdhmwcKqR5oRqLZbq/QlexOIQ8n2YiUmGZVzMZI7HcrXkLrQ7onKnnCf8heWb/PQ"
    "fPH4IyDGiqOy61X9BRVKoKiKaU/Uw+KFGa6lW2+tX2HrOOTzKezCJXkkqSQjn09uHQEzl0"
    "5D151ffrNHxnW+hoG1p3nfAKU8yCa/c34TXPCq99uu/9co4ePONpaLXvB7dsBqYKrWRe23"
    "j6ffjmsB9o8EceF3NzlUTkdfAXpRyh797JeELfvct3hcI95ZCrQJZDFVJtqybMHahtSa4X"
    "6nglpsfplKegOsbDLIejz/PhZZ0UpiS1ymLKmr9UophKFDtIVJUlfNOIzmzyrFPPWWErEJ"
    "GqrUCZxpVpvNKoljKNq7TGMtAuTWtckjsaSK4KZ1mck6K+BNSJM0vhvARn0QlfOd/PBfXy"
    "3T7+zeZSj88Ixkk6e2Beh/tg/AMqzCFrorACLe8qwr0rzSCxbIx0i/teHPaODGtsOb61HG"
    "Huk8m4erbxkKFl8FmPHGwQx8TsE3KP+aVj//e/YsuAuuxXsxn5Bf4MmHGmz4ih84bemF9x"
    "CK9RC3/Rx6HFh0NWnE3nuZ1Uvsdkn1j0bapsL/9JsNh+S3mglCtol66gwwuuXsEVpAqdls"
    "n5UkW6D7xId7S1ym+XcZLdGVDeVHrTjDcoCMQLSTSj8QpKZTBVtqcKqz4SPV73p/Lwiig5"
    "Gk9YLWWJwhNWZ5Ho7wh6xIzaLlcGsMvwffC4VkEfw7oYXEfwWYzYwc4OvSfiMF2BPVt/Jr"
    "z1IpMOTKZ1iHo6buEBQu0jLXsEfRBiBrHg+0hrHunmiDYdQSNDkPciOdcmI8JeJSemjT8W"
    "dJps2QtszjD79sR3PdfU/NcM/wrH+4OXv4rSmnapNSkR+cBF5OyeIBtDl6WsMuNWjJ87aZ"
    "3JIN46y4cc7qX0yvJNg1S3oFLdgsLjpwTCMRKF8HKES28X6+0SPxm6cSGpBMYpMoW0BNJB"
    "zv1KLRdTtCrassrRlnEtoSSjU6QqjroqjJeJo+aik2eX6u0ep6nfLvrupCWxjbJRufsov5"
    "dKMU9o7rJAJ6nqB/VW+mIDaIvaV2WgXlApqKWhjixQJcGO09UQ7m20GwXYXGKXXtchTQ1h"
    "3tqqppZLRM68JYt6QabAlgJbaLJeyU4qmmiHtfxCKbhRjheNu85Fp/srRI2EM/BgkYtOvw"
    "8Xg58FVz+3uzy65BHrqxby27iBFN7Fs8kKScZZyvp9MVvJL1au8YZyjR+Ca1wmHDheQjz0"
    "3WZRL9Ne5Rt5mFL6dOlPJ4N8xbaQPOAFPVYK4giW5cGEkIYdWOT61tQMzZKBFnfUMLxZIy"
    "fUIrjbXBpsYfOBK4aX86iIMX7h0RC2rT9jAx0Fgd5gXUN/QCcSdhMu+CSvmlGNn3TUeDMt"
    "RWz7eUOLhxDyWf2bxIGKRTaaMjY0/RYq8yl2+XyMGcaLq48chNkQDB1ZYCi7ZX5EJvt3Is"
    "Z9aGWD3FFujHvABfayDo09iEe0Y/RI5jx4nf2T/fihtYhuX8wqE9jOiOF/EvHtzUWPaBXq"
    "vs+gjYBlWQu4GNZgeJHV+3BPfxGCYLU++NLrKjtAZQeo0CeVHbDDkPbwdM/g2TexYeSCGi"
    "PbHaYn28X0tPXhfQQn/FGEZP+63euJi38IjpzC0h+iQ0atzCiBugSacRIFqBhQdnqz54gW"
    "6Sd9sgTZOG1t8P1Lq3V6+qH15vT92bu3Hz68O3sTAZ29VYT4p+4VgJ44ywTpWC/s1mpMyJ"
    "AqHqzIgyAIbDUuZIkVH1bjg3IabGqfV06DuufT+c3Zc6y8Uef2JUbeRad4mTbYM2LrdByk"
    "tyFnBrZT3eJNpX3riJ/yRtkNfnGKHWRRRH7ofm+kbBrdhuZcpxI8u07s4q7TMiOjF1o+Mn"
    "0zTukYWHsIlKnYJeggpxLjdm1jjXEqA+6y+r1xShVrfEixxonvsRTT44Qqj6DKeQRjz+a2"
    "aW1KPVsg71+SkW5iI8eXkiFOM9unPg5mqRWrLzsX3et27+jkTdMPLWds1X2hKDTgvs2Y2V"
    "WzgbwPZ2vdv33/smaT3z3dFhnN8mPe8ujrwIsdRL7F5LWSB0iSUp0gVT5BBIJ6WVanyBW/"
    "q8xv1Rs4f089TF1AwHbVG3gnjifVEWHTiCbsVJKYJmgUqpXouFyxA1x5IirviVBdJVZHtV"
    "RXibzo0ZVA7UeT1RTaxOEisWBVa4MD72YdrOh8f2Sw3pc7JHm2hZxL8o48EpuwFYH4LFGC"
    "hz6Zuovy/1EGx9HEoA+YMcAhZEzGgmbVm5hwuTNyt148mV2l1m48/v8MrgX2TywsBbViIP"
    "d+oU3WjJGJny8o9pCt9RB/rQzC+eb9FFkdDMu7NvLrDjfRPwtW9idK2V5q5ewacboU8A+M"
    "cFsySbjqdwv9p9vbXgL6T900tvfXnzp3RycpX1Z+jGB5A2CSUhkAq2IAzAsGyGisMonhi0"
    "gqcQazTFJ4InLrwNbAZvLBSwqet+7sgv1LJHWGtwpFTurO2BuP5SPgqEVe83xioIL2VkxB"
    "GUMSL4YK7+yfU+xMP7JhxgsXHC0yJ47r14SfeTZbnATpDoKkf1Ew3Kanl4mLi5us/Cngn7"
    "E9KwhSm+nsq1JBaLuvzr5gykrZiQvySicm/tq5637uXgTpo1Bi41EfBfmjX9v9/rfbu0uN"
    "KbodSDzFjjOnbPNgK5K4Q6tz3e72tPuvcGCcI2Ji3dB8r1v6G5MKCth4lil/ozIaSERQZZ"
    "atqIRspT4X7JcabI5lUE4Q1RDpLRQMd11izlyBmFOcHRqnq01uzCbSQ2PHakmlIklZQ6Xi"
    "QJQIqeAR+GmeuZrymCRVQUKV5rOyEfwkNoL9hglUjrnbjRPYrXOwauCu6x3cc67iV3b5Gs"
    "9m/k/M2Gnit5tFthpezt/0R8q6B6nnEgd9Dird/Hc3rG6DwNKG2mMHTCeQVQiTI5fyf/ux"
    "FgLf4LqzFfb348s2aBClKqtVoR1eGVUywcX6aZKbr9u0h/Zp1YZ488o6x6us7ztBVAe/7A"
    "4aHiipPx/9+kr9KjVgU4exihCuc62SO/LIPrrpgD4RqyFQABL3CzUA2x/JBGg2VNZlayE6"
    "w9CBO6BGnBodgd0/cLC+Okb86ZH8btCJbiGHHZIEiixjUzcE+sBmp5Zx1frDfYdsTNuzyT"
    "N7hvLV7l91CBhUQt5aUNRQpj2VURtO89WG04zawL+w0o6+JFXtwjo3rzoot9Sy87jqEqyU"
    "u4KdISslNDvKHXUQ/I0JBiVZnKRUXK4yl5X5If+crK/5QTkdldOxAmaHijod78iM2m7nBx"
    "l5wS8X2B2SQ5rFpgcYrJFwtJz1IR9toSsw7LTC2RYr+JlfxpQtPjuM0laa/i41/aJeQmJk"
    "D6N/UGUchKtVUNto9bSqQX4g0ouU0BrbuUqyOElZQzbXWGgdUXMGEsJqgbBJWqWUVvn7Jr"
    "ZNbc0kjhOkMyZZnZ8aniGsQxDCrpPDbTKi9tjRorbsJSRAIa0qZqWalewG1UDTKoVqgkYt"
    "VUF5wECzLFkgMEmlgFXhKrsMVxEt4A1A69t9+rEJD2sJyyKc+noTGLN3QDf3vV5DsPVuAO"
    "KrENC7aMZ6Ypw4eHIQ3qcBNFrlufbP+Hew1PwZLqktWD+L7ZyLokU8wClRw4h3K7A9SxlB"
    "dx/uBN0hiDUqF/EUJ6qhKfRMwhJ6lmsIPctEPOkm0eijNsalUE6R1RBnmc4d+X07Ml07GF"
    "CA15yQpyzOxdUNUqQ1kpM3UeIgQMeklisI2pNCNqJV0P6pagCWtbBtsAZgXNbIQF5svk6R"
    "Kut1la3XBnZW5XOKVPG5ynxWoXP5x1R9vZCqlVPduC742FUrp514FqCum8F+fjlcU1QKWe"
    "Va2JtrIVyLG3MtDGIT1hTi1PdbNvI3nmgWD6hNqbAlKmcLgnkPUqrebfns1HrNdRLEV/RS"
    "J0G4NnbuJAifDyvDz4MWuxCayerWymWwS5fBfnux7FtE2H7zadWQZX8xd4vtp8QCT5HVcJ"
    "2ftmSqALTyqwC00ov8UTdcYgtEhr/3b29yvI4LkrTaro9c9B9k6M7WtI7GXx89awQoogeP"
    "vYhuOcfw2L81dr/2AaLitZ9e5s2kKg4TpNf+xKbeTHso5aGM09Rhv9lBlXsHdopyKMdIdr"
    "e1pKyjh4w2tceiNNAlgEdUO8T8stO/2A3aMuVG8quNZIqN2GSkz3RiidoK5G/oSapq7Onw"
    "vNrs6cq5rBrMVeZsPUy3hHJG/Yxcl3FGhV/sQ0mHVIauRhFRKjGrcqgqf9Tu/VGLT3wD4E"
    "pWn6nYhiCLbGY3LJ2CkTbfremGqm3iizAZayM+uxKJWIeyAWzXZ0dz0nno0iQeuovMnd26"
    "02RWifKnbc2fVqEiuFKNHQr6Oqi2DvXXzDba8F23nnV33TOwyyc5wBUgJShAccA1AapZ+c"
    "StigYgSpm47+bE8sRvFwoKDh+oOdHIvcgLT6SUoysYXrtzbVPF3fNFiGdseKVkiIighsEK"
    "Jy2Z/F02Kt+T2Mrk8Cobb90kiTwbbwlJYqsngQtdNemz+ByIbhafAi5vuMnGSbbagSkdNC"
    "N20POyicb4BR3pFmJbP4L1if6AFjj0kV/wB71qIr8wKjLIo4uwNQ7/ZveJTcbNRmodbes5"
    "Q2uuu1NOMqWe7SBnxm6hYNo48dHUs8aMxJ06bFbPNKHPT0N82n2PGUrDFH6bmpo/X2C2Ym"
    "to8bdq/rlPfVpYZgH26Jy4SWF5hcTGfICbcgGCsLGmo/Ey6zmJXnGKf5a6Tt6XTWT5J3aH"
    "kuimaRW2SWyj401yG43G7w7IN5XeSWPmMjjo+Mkp0Pj1Sb5LO0FXG1z/0mqdnn5ovTl9f/"
    "bu7YcP787eRABnbxUh/al7BWAnpFjl81Y+70rZtZqH0o2UKz931DC8WSNPNwpuN5drRzYf"
    "Kakf8bmzikugf8grMKC7wDlkNxFoLBn9aEvPYfrRFLuhMjQhyCTskSMHNCAEw+CW+ZGTjE"
    "O1iUFiOdgPk3WBnDKlimlNI4M67B2pPbSwZVGPfS3sgcHERw42iGPiiUXcY37JOQ6QfnWM"
    "vnDlDPqnPpEZ188W6lgJLSwhFoVdbJTupXSvauywkrrXyoqB0goa+VrBgfRWOxTNgO29tl"
    "5KzYpRKDgzcP7QRXFq+WCG4xWUSmetks66QFEzdUG6ugT8IaEKgy+GF/9YEV6fUMGbhRdU"
    "Hq31tgSuMYrabBmbhfPtWVk4fQoFpxDOD62ycPoUCs5MAx0Da9xmUap/ToJIgSoCFWw4JS"
    "ENSRSgaUB5STaHsKeMSwq0acraYLtjkfbBJhgSWjSwc5ZY1xm62jBgY4v7UbcdVyvrsE1R"
    "KViV41A5DpXjsLzjkCciCDyGYYJCvqswyoLYaTFM6nd++62gEKYqfblT9xasg7LpenGa2q"
    "U2bD5lj5hYN8rgGxHUDtytlESbYceZU7aVTrEjaOaUj3OGsIapI1up5+rLr2W3jSRVDbHe"
    "/NbB+/aUxTlBpGCWgHnGICoFcURQvxqhLRl0W/notjLoqpp9O67Zx4B7JrbOniKQmJdBHq"
    "fcIejRlYNF3SGOw14MAHSEhc7z7cdZyt3ZL062tats3IzMTjWDTvSV+9/FiVUHvOrkqPJL"
    "qshJrVOTVdHRn5Hrgo9ddcDbyWkZWlrlMY1RKESXO0/soLLdmq6TsEDegYEr6ziJLaqE2+"
    "SO7Rp33YtBQ7AVKIfUOg6pBbL5Hql41PYG6ot2ftS4rGj0kzRVi1UatKAKneYQSyDLqVJ0"
    "SZw0TxjBtxWYDnE1GUz2XfOz67EpaooON5HqrjCVqSxEbX+uOp2cSawch8kRJvTn0Uw8Fh"
    "mkyyIWzVjX5bWATKFVaoEZ1Fnz8PspIPNT6dcHihcYqClG1J2xEeN1Ybp1Zxd0XFtpyiaP"
    "NnGmmkufyPqtu/lcA5iqvnhlW2Ovg1jJNvOH8iFuM37zG3mYUvp0SQz9mdhg3c2EcqaHNI"
    "uiOuf+YLAHwGhdtkpm20K69UA9a4xgL0XtsYNGU2xNCHogj9QmSHeR7iCbeoyfyKUIW0Fp"
    "FnTkWSZ7I3Z5xku8PGLdQFNiE7/8ZKIKzBafIyywAmuRTWty3y317BHRQJsQVVX5HlSfgK"
    "E2GRGGn9+KPROrmjNOxa3uMm41zlnpqJ0YTQ3jok7ey8RWpl09sdDK99nIyonYi1AUUznJ"
    "cSPUAeJN1T2P9/NN7EolkM5S1hDwrVQ+n+EXg2IB2PmNfWMku+/qu5+oka30712cndll3r"
    "E8M+PgSS75iHqHLazDQ75RjgWNu85Fp/tr5/IchTMMra93txedfh8uzmw6Io4DVz+3uz24"
    "BBJN8Jy9b/3wLp5NNJtgRxTMVhDmnaGsYZDsNqLqsQuqmMjOVlw1LU5Xm1TSTVRMi4vnGU"
    "yLI4pSpCqkqCohRTKBZNHWugLj07QqULQ6sWNZTu8neKxiDN14pDVoFCZhincpXNNkCtoK"
    "ZuBXDN/1450W/ZSFS3gD2IKh8jqYqp7opr/c0g2rt2kibxNbH00bAst4cKdZZBDHizH16S"
    "/8s9t+czOsCroD5qZW1cFKth11dDYrg3AwvIbobqVoAXuiK4yOzLdBxkiUDbKkDTIjhO3y"
    "MPvz/wE7LlBc"
)
