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
        DROP TABLE IF EXISTS `lead_rollups`;
        DROP TABLE IF EXISTS `activity_rollups`;"""


MODELS_STATE = (
    "eJztXWtz2ziW/SsofXJqHW8sx4nHmZoqxVYcTcuS15I7UxN1sWkJlrgmCTVIWvHM9P72Bc"
    "CH+AApUCIpisGX7pjEBakDELiPcy/+3TLQDOrWSWdqay+a/XqFHNNuXYJ/t0zVgOQf/AbH"
    "oKUul+vb9IKtPupMQvWaKlPalt1THy0bk+vk9pOqW5BcmkFrirWlrSGTCnn9a9ACS4gBNG"
    "3SwzFAKxPiY2C/LomMZau2YwHVnIEl1hBmLaYL1ZzDGdBMYC8gII8xLfoGiP6tsledoSl5"
    "vGbOy3zQxNTR3AIIA2c5U23SPWllgCNL1aFlqHMT2idq8OwTDKcIz6w3l0DXLBvYyCa4AA"
    "zVGZWzIHmMZdO/0NPEZECS9yddk5bA0HSdPJY87AlgtLJO6I90TO0PByo2mkPSASY/9fv3"
    "lvvr2G0LYkWbscHwx4f+WHrB/bn0X/6vbf32G/lLM2fwB7RoV/TP5bPypEF9Fpkebpfsut"
    "sfudYz7S+sIcX+kUwD3THMdePlq71AZtBac+fTHJIBILjR7m3s0CliOrruTSp/1ri/ct3E"
    "fcWQzAw+qY5OJxqVdl9gfa2lKIPhWBl1x4rSSkxCXyI0XbxLU4I2GXCNTmf66+f0Fd62T9"
    "9/fH9x9uH9BWnCXjO48vFP99FrYFxBBs9g3PqT3Vdt1W3BMF6DGhosQWRDEpvh9cHMwte/"
    "sAZ4/eEeDMJrRBNzPorr1ULFXdMxGLg98iaqOYUJkBOdxKAmP6A+ULeuOv3+JZiquj4xu7"
    "edHvkDGqpG/rrtdse9wc0lMCCky8rEJP10yUOQDSfmaNwZP4yUq6+dwQ256C4Oirv6TczO"
    "aNS7Gdx2B+NLoFqWNjcNsshMzC/Dfn/4TXm4I2+PdB2tFGcZX3tThtpQfyg6NOf2go7vu4"
    "xx/bVzT17r/qj97g3tG5Etxd1yBt6dNrsVHfr16rbNmIfWxjoP9l13cM2GdAnNGRvSq+Ht"
    "Xb877l6TOYCMpQ7JO5KrncFVt99nV+nv1XU422aYTkWG6TR9mE4TwxRsPVsOVFi+1kNFPh"
    "Oy6aMV/Q6vew+39DOcaY4xMb/2br5egoU2X0zMh/sb9o05mLx2QovZzxBNfd1PcFMK2le3"
    "Jb07kP3IVczy7fERGbnLe6hSzfTpmatGrbXfKMJfEIZk4/oFviaWlBisnvHTDTo6MID/9O"
    "eQf3WtKGN1Fajz0alFfj/51WS/cLWI0VXnuttiOD+q0+eVimdKBHB6B7VR7ErQNnnLaBvx"
    "K6qpzhk89HfQt46ZnfdEp3CWrQzD1GtxLGSZYtZ4N9N0pr6SZXxOTcIj3ybUDAj+hUxILT"
    "N6wW37JtW8FLVOi3jWxPS3yE/AQC+kq5VmL0DMWt9osIoYm+R1pc1Zw7XyOMPm9MYsiuo1"
    "AYcPq9c8hit1fNCJeUL/cbjrJQ/B6864G9vEpZkuzXRppkszXZrp4gMlzXRppkszvRZTXJ"
    "rpdQH48M30QMW4crCFcItnqMfbHGea6kFrZcqaCxrrYwe7gVFqEmOyss3eYvRIbGbVsdHb"
    "da+0iWp6RjPRkcCjak8X9KoJTLgCOlRnFrDVZxrIpX0mTPXSnjQxf6f/B29Jg/8Cp2DitN"
    "+1P7B7v9PoM7X5dTR9pgFhqvdA+hRi6SOwxGgKLYt0ZJHNGLKWGJEmBJw0u10a3Xs0uumY"
    "JmH9rM1TkfUlGrNX/6XdPjv72H539uHi/P3Hj+cX7wKQk7ey0P7cu6GAR9Sk2u7oBz+rE/"
    "t5no1n894/NOEYkf+UvvPvdSDK2vd32ss9LDk7+Brl9H2bvaoGxXbrdKDkRlWvjYr9PwEr"
    "Nfn5uPrtizHx9wttzFwXs9ezDPak7wva1MHH8X79fTQc8BEOy8S98NrUBv9hxMKylILWX5"
    "8c0yU/PjqaTt7EOqGP/Vur3KWSBzrFiPZsWNYfehjro9vOP+LDcNUffmaQIcueY9YL6+Bz"
    "3ImCIYVMUTmelGsvypHiTolIZgVI6D8O0FptUZbq0NRfvQ8xY2jGvdvuaNy5vYuMDw2l0D"
    "ttdvU1dvXoQ2zMgk7At974K6B/gn8OB934MAbtxv9s0XeidphiopWizkJrhn/VRy0a0WHU"
    "3W1GPSopR70uo+5jFBp29vY59FdOeGrNbI9Zbl4HX365hzozu9N11gSj/sAmRJryyg/ohR"
    "gXu0O25no0EbMVfFwg9Kw8w9cd8XIV9m9uf7/AJrlGo0b9C9z5c+zSPoaO/Yh+NBamH0uE"
    "d8aJddJUiILfpGBYAFg3fnf3sMmoaSZZleGOWPVYJ02FiHn5dwOoT7poKjxrouHuGPlaQm"
    "OxCkJLRYAVdNZUuOiXV4jCTuFqtLLOkDKgre6O063XS2NhKsSeoUg125axbHVexJo+ov00"
    "FaQl+W2KoS6XfB9wHqzuSFe3bk9NRctVzBXyflOHPmBHxFzNvOv31nDUrOkCzhx910/SBW"
    "3kddZwzGxoLHV1Z/vGxWzsddZUzGiGw45APZAumgqP79sjP1R7gXhne8fz7V273YmYPF4Y"
    "pPao5aIr8owjjzeYjq/PMRHwO3Ooiw2COTc5JORRTqWJRL3OGwgjr0rc6S3A9FxAl+Y4Ax"
    "acYmgDFZBeLM2G4Alhg1w1ZxYlTP7jrfcyb8nbfGJ8TfIYMINTbebW6fHYmYwjGSV5lvQQ"
    "yW+pF7/lGaZktPBh9Zo3jt3y4b0AueXD+1RuC70leRTNjqiL8CgwfEHPW416VLKAUa/nRl"
    "z3QebQJpKjXBMu9b4/Y5kdtR/d9fhQsqMYtSAw0Xgac6RBtrpMm8bMR4ESJiZAjNoAmDzw"
    "5IlWayOg2RbACBnWJ7DCmm1DmmI0Jb2YpLFfznKW1I2L6HRiTsxbFbNcJqoiex1itKI9QP"
    "0JHKkmeLij6x1LpAL/9/Hdu7ePrzbNbFq9ATPkEGRmbhIWnCFaJgVAdbpgeVW0dCatrklu"
    "UtXvUbXgCRizprpKlHOMlpZXb5MW0mSvyF59iRFdKck/VJZPRdpo2P2dqeU2RRV4dwh5q2"
    "a6whmWaZzWefZBQOs8i+90a62T3uKp9zvlqBT8+XvMorSPf0082vTpo3XLQtMrwvV7LPhH"
    "ohrP97BC/lsu6zQrn61hBmol2WzpZiwduFzwewJNUsSqTiiUq3k5q3ldko/2Pasj4L4XyT"
    "56n5589D5Z0EV91ZHKmb7pqUchkeozj/Zjm5eSY+RVA8uV9hWWqUfaF32eTPuS7sqaerJE"
    "3JXSkdWSjizpyGoJWbIjSMCkA5RmywYNjjdbs5bXVtCPNWQFbVah2rhggXRaSY95bXTVsj"
    "1nFOn4E6uS47qjFvQsF2I6g7m61Klfx3SMR4itpFernEfs4i6qx+JUB+u6tPAvHVUlt/Ec"
    "lpL1eLYzn5kjlqhNucGPCUr8xfGvi1/UzSTkbSNBjmHG/rFOZiy1zsz36GIadoIeg++hwr"
    "PkhTSikuZ3j/4svtHSVm+fp/uaVjM6bQWJiDXQW3TWFnHFtdNdce24t4hy3ni2cTrKa4kG"
    "AnwhgO9FKrwXCXQ13ebSp9P9QSGReriDGlUFKKsoeUpAZQ+FyFteNfGyUI9VwBLx75+m+/"
    "dPE/59MoehktfJHxHaCuuaMcNiBfbPzwVgJq3SS+zTezFlG62UvNXBIzJbadl1w7ngGuGW"
    "9i+oUEIKZ51Ij7tGhCSsnLgqxggrBrQsL/MziuwY/kjzfcQFm7A4ZDnbu/8YZ298ga+9Px"
    "zc+M3ju6GMg8g4SHACyTbjHpOV1O1aU7fXzoqc4xyVlKNc61GuR+hg3wt2wZoJpjEri650"
    "jzmx5UhK1U8GjqsMHKdN5ALgFczbr9nkFcWW8+1GECbvAQYP/f6+YvPxUoOcsAqnGmF6fI"
    "VbCbHKSMv6BfxYS+R2zHu/obVfw4P+KaMzMjpTBxdfCdEZGT+oV/yAfhR5RsNvL2nVO4B+"
    "GDHK1v9absmZg4tSRrbaBMrZ3oO4rPQP1sWhIHnS+/InrL+JvP4EjqT0JyQBDiv/4uDGpC"
    "Sw0lGzL0eNHSoauSO0uatQ1mwKiyIc+3pTXDVpy7D0hm2Al7Pz5PaGhaNR+6rleyDw56uG"
    "mdNz6B28wXEYro/kSPcThs7+EKpDw9qzcQT2QrXBk/YDWn6mDU2hwUhntRXd06vhXKOdBi"
    "dYxyvQ7NjdTvxv6Ues0o84JXNPWajWIo9lHxFqXKmF4ss1QkPV9DwABwJNYFlVcNRrjYgX"
    "NVWe6+4oEWJeONZ2p4hakj91EOMr+ZHpi2hz/Z/+2OX10yXkpB+Ux/iW3uUy2GrE/snJUl"
    "tLSEQ5iLJNOu8SEBWSzmTpTN4b6w/phTiSUaMOfoqDGloEI5DeEx3ivnc1bqUoBtV5jg8V"
    "2YQytHnKeoun9MpvgDa6ydSKnsoOL+a4mP1DjdMdzOy4TZ8YJXYsEBUBR4HgiTYDmgUmLd"
    "u/p80mLVrFCb+uFhDDN5/AVMW0nDqr8TR1MKYFntCKTBLmRHazuvnHA5X5sJ3Lk0RuekXX"
    "+TfXieuZfdCgGqVLKd4ROJmN3cO4yF2vauVGAdebyHkq+ZRh5ku7/1KmC9WcB73/u7WenS"
    "0Lqni6UGz4g92j/jRa4Z1FnTxcvbnpfYTBIkM+Gz9rkghjlV50vyPp/a/K+y8d0yHH9LmQ"
    "Y/o8wzF9nqwDzD6xHAAHAs0D+EwE37N0eM8S6D5p2LK3qHERlmoezqVEWFhVvrxIR4Qk0E"
    "JAP5EH55/SYaHmAd0WArqdAXQ7CXSg4yt58wmSkjtlFtQM+qoTC+jjadFaPzCTK+wTk5Xh"
    "vTqH9+JWTnJ165qOkfA5RPWjWB91zmBrfelcdT8Ph7/Q7qbwEaHnidkbEBhv7ju3l0CjP3"
    "KOVWNifut+HvXG3Uv/GNyJedsZPHT6l4DY/o6qx21koe2p8JJiFnLwFCpLdc4PfmQUcEtI"
    "Nm+XKp43FEYtr0rAk20e5qUYbVn1CTevUHupVWjCVSvn4jTofiMYw9XE/B+y0PS+9LrXl+"
    "APstZo5FfPJubVcDDuXI3pVTIEtjq16dXbLtlHBjfK6Opr9/qhT+8akOyt5lyxpgs4c3Ta"
    "6u5+eDccdfrk4YPxJT33j+wlqq7QzXpiDro3w3GvM+4NB/QN5sjWGHeULIP0yor+qz8cEU"
    "EduRpUfoVRSF/MUBf5cyLsCcupqnA7kESVuigwIkSVwPGaf/RjolJPrbOe6jqIdhhtbgdy"
    "zOs85piebgs5Ou3IUHU9o/ZUIFYdq+c0Pp6nOyzXboThrP3xQxBcoH9kxRVGt51+P8ngke"
    "zNn3FTDIU/c456VFKOel1GnbNeem8fPhJ3HfZNDHt6FeGYWBPs0axBLaOGMC/6LxgV54lK"
    "zqSkTFeDKuPyGNBW8wEbF5PnrkmOb/kcXz4hNbKAFgBws3mTvO1mh3IG6tTWXjRb450Ika"
    "ecAeVGdty+mjS3ORPVgKZdBFhBZ02Fi4bhiphWI9s7HKMpICW5y5z9PInb0IRjRP4juAxS"
    "6G69jg5qIxddCeM6jMDpwzvTwoMlLoUeHl4CN9DEoyuvQD0SMFUpXPAtZYse+wGiY2Aimz"
    "R/QrqOVm+d5bFHygZuUAQgDNYLF9DRnPw4gEygMsb3p3ggqKznTEwVeGd/sfImK81egN9N"
    "YrMqbpeKs1RU+3dKSFfXTwEzBwJ7AbcsgcKQFqGbC5K+12HIxJtntl5iDWFvXohIepPj1f"
    "2oN71V+kGf6AVigqBCxo4FIMlzcco7SI54lRzxxABvExRPdFJr3s5Vp9+/ZIvLxOzednrk"
    "D0Z8D8LfQdB7YpJ+updsxZmYo3Fn/DBSrr52BjfkYiTkOzE7o1HvZnDLIuLr9Wdifhn2+8"
    "NvysPdJQjmeXyt20/QOwxLYuDTvXwxsToPdW3dfHRCcTTSdNADAelU3QLtxCaTQD47lsHt"
    "QEZ86xPB4LBRQ4rOVkzUkHyFTC8DzjTHaOXc0cgGQ9lUK7qDXfcebukGRvuZmF97N18vwU"
    "KbLybmw/0N250cPPes/fwpEUIZERkJEQ0g4213cHDrrju4ZrqFJ08peLd3/a5HwfMOAiRX"
    "O4Orbp9R76b0R+u6S0DY/1il6fB5VtK0PuRiWufFVHI/0j+6w2QBSO7HzzjqItwPGR5vlR"
    "Uezx8Zl4hmVRTLSZDZlRfTREQl0WAPRAPdq9+zI65+GaCGohpaAIWqXVVI2ThUSNOoGutp"
    "ur9CVyEeQlpMM8JU2BTVjHIkNoc1h/SoA7Qi5nkkfghfyH8vaeQP0DIMYKFZNsKv4CgoVU"
    "WFFoj8TNYoUprqTbL6VXmP2SUmGU5mEStJJSghA3r7COjxAjrikbz6x3VabrDND7RNzPuu"
    "f4UYZt61h4F/zTH9a58f+r9cgkdHf56YnYfxkPRATKGt3GuFp9/7b07XA4X+kTaKqblKPP"
    "EmxItigdDzc5FI6Pl5eiiU3pMBuRpkOdQh1bZuytyB+pbEzkKdbTXoYTkZKaiP8zA5wsHn"
    "+fi6SwpTVFpmMSXdXzJRTCaKHSSq0hNeNKJLDF805FhbLAU8UbkUSNe4dI3XGtVcrnGZ1p"
    "gH2o1pjRtyRz3NVeIsinNU1ReAOrJnSZw34Mzb4WsX+7lCTnrYx715vDHiM6XtBIM9tF+L"
    "xWDcDcrPITsGfgVadqoIi64ce4llM6CZLPZikXckWKum5XrLgcpiMolQTxkPmZg66/XIUn"
    "VoGSr5hOwTdunE/f1vyDRANvnVpEd2gT2D9rjUllDX2IHeKrtiQVajlv6FniYma06z4jBa"
    "pZ6k8j2k+4TYt7Gyvewn0cn2WywCJUNBVYaCDo9cvUUoSBY6zZPzJYt0H3iR7mBpFV8uwy"
    "LVOVDe1XrRDB9Q4KkXgmgG7SWU0mEqfU81Nn0Eznjdn8nDKqKkWDx+tZQNBo9fnUXgfEdq"
    "RywRtpkxoNoE30eHWRXoya+LwWwEd4gB2djJpvcMLWIrkGdrL5AdvUi0A4NYHbwzHUt4AN"
    "f6iOse3jkIIYeY933ELY/44YgYTelBhlTfC/RcDKeQvEoKp409lto0ybIXqrFUybfHv+vY"
    "huK+pv+X395tvPlVpNVUpdUkVeQDV5GTa4Iohy4pWeeB25I/d9q+EEG8fZEOOb0XsyvzHx"
    "okTwvKdVqQv/3kQDgkIhHejHDu5WK3VeInQzesJOXAOCYmkRZA2su53+rIxZisZFvWmW0Z"
    "thJyDnRMVPKo6zLwIjxqpjo5ONfZ7mGZ5q2i56dtgWWUtEpdR9m9WIp5xHIXBToq1TyoSz"
    "kXm4K2rn2VB+q1lIRaGOrAA5UT7LBcA+Eu47hRCpsNce557cs0EObSZjUybcgL5m2Y1Gsx"
    "CbYQ2FyX9VZ+Ul5HFdby87XgVr6xaN13r7q9XylrxO+BkUWuuqMRvej9LHr1S6fH2CVPqr"
    "ZtIb/CHaT0XRwMt0gyTko274spJb9YhsZbMjR+CKFxETpwuIS4H7tNop7neJVv8HGB0PO1"
    "250I8jVbQtKA55yxksEj2JQH40Pqn8Aidm5Nw9DMSbS4R7ruLFspVAvv7vFGsgVmDbeklz"
    "NWxEx9ZWwIjLUXVQdHHtGbetfAv+hJJOQmveCKvDkOavzEWePHcS2i7OdNTEYhZL26N6FF"
    "KxZhsCDDcOweobJaqDbrjwyG/mprUwuopIlKT2ShTckt4xMwyL8jHPeJmSS5g1SOuzcK5G"
    "UtFHoQY7Sr4AmuGHmd/JP8+Im5ZrevexUhthNh+j8Bfvvx+oxoSXXfJ2nDG7KkB5wPq9c8"
    "y+t9uLs/D0HqtT740usyO0BmB0jqk8wOqJDS7u/uCTxHhqrrqaCGxKrD9LRcTM/aHz8EcN"
    "I/spAc3Xb6fX7xD86Wk1n6g7fJyJkZJFDnQDMsIgHlA0p2b/Ic3iT9rM03IBuWbQy+f2m3"
    "z84+tt+dfbg4f//x4/nFuwDo5K0sxD/3bijokb2Mk471Sm5tNwgJUTkGW46BRwLbbhSSwn"
    "IcthsHGTQoap2XQYOm59O5h7OneHmDk9s3OHnXJ8WLHIO9hFhDMy+9DVhL6jvVTHaotOsd"
    "cVPeELnBLi5UC5gIwB+aezZSMo2uoD53qQRPrkOcfeq0SMvghTa3jN8MS1q6qjx6xlToEj"
    "1BTibGVe1jDY1UAtxN9XvDkpJrfEhc48j3mGvQw4Iyj6DOeQQzBzPftLJADubo+9dwqhmq"
    "nhJLSQjHB9uVPvF6adRQX3evered/tHpu2OXWk6GVXOVIt+B+z7hZpeHDaR9OKWd/u3Glx"
    "UM/3A0zHOapXPe0uSbMBYVMN9C+lrODSQqKXeQOu8gHEU971DHxOV413m85dnA6WvqYdoC"
    "nGGXZwNXEniSJyIUjWjETyWIaURGolqLE5drtoHLSETtIxHyVIntUc11qkQae3QrUEdBZw"
    "2FNrK5CExYebTBgZ9m7c3o9HikN983ByRZtoVYSPIePkEMyYwArJcgwUObL+x1+f8gg+No"
    "rqNHlQyABeEMzjiHVRfR4eZgZLVRPJFVpdFhPPb/BK4Z/k+VWwpqSyL3fqGN1owR4c9nFH"
    "tI1noIv1YC4XT3fkysCY7lqp38msVc9C+cmf0ZIbKWmimrRlguBvwjESxLJ/FnfbXQfx4O"
    "+xHoP/fi2D7cfu7eH53GYlnpHMH8DsCopHQA1sUBmEYGSFisIonhayYVP4NZJCk8wtw6sD"
    "lQTD54TsVzaC+vyL94Wqd/K1PlRPaSvPFMnAGHTPiW5RNTKXq8FTFQZjSJV6UV3sk/F6q1"
    "+ESa6a9McTThClq2WxN+6WAyOSHQLECT/nlkuKK7F+HFhV1Wbhf0n6E1yyOpLTXyVUkSWv"
    "XV2deDslV24lq81omJv3bve196V176KC2x8aRNvfzRu85o9G14f60QQ7dLE09Vy1ohsniQ"
    "GQntidm97fT6ysMd3TAuATRUTVfcqFv8GxMiBRSeZcreKI8FEgjUeci2NEJKqc9F10uFLo"
    "55UI4INRDpEgqG2zY0ljZHzcnODg3LNSY3poj00NC2mtOoiEo20Kg4ECNCiDxCf5pjbGc8"
    "RkUlSajW4yx9BD+Jj2C/NIHaDW65PIFqg4N1A3fX6OCecxXvyOVbdbl0f2LCTxO+fZzlq2"
    "Hl/A23pWh4EDk2tMAXr9LNf/f86jaAetpAZ2ZR1wnNKqSdAxuxf7tcC05scNfeMs/3Y9PW"
    "OyBKVlarw3F4eUzJyCg2z5Isvm7THo5PqzfExRvrDK+8se+IUBPishUceCC1/nT0m6v1y9"
    "SAojZjyRBucq2Se/hEPrrFGD1Ds8UxACL3My0A7LYkCjRpKhqyNQFaqvQEbk8aMGlwRP3+"
    "XoD1zQlgTw/0dx3NNRNYZJOEtMiyamg6xx4otmuRUK3b3A3Ihqw9DF/IM2Ssdv+mgzdAOf"
    "SttUQDddozEbPhLN1sOEuYDewLyx3oi0o1jtZZvOkgw1Kb9uO6a7BC4Qqyh2yV0GzJcNRB"
    "jG9IMcg5xFFJOcp1HmXpfkjfJ5vrfpBBRxl0rIHboaZBx3u4RNju/oBTx/vlHL9DtMlxtu"
    "uBNlag31rM+5CONjcU6J+0woYtVPAzvYwpmXzYZ2lLS79KSz/rLCE+sodxflBtAoTbVVAr"
    "tHpa3SA/EO1FSGkNrVw5hzgq2cBhbrDSOkXGkmoI2xFho7LSKK3z9w0xRlgxoGV56YzRoU"
    "5PDU8INoGEUHVyOIZThGeWEhzLnkMD5MrKYlbysJJqUPUsrVyoRmTkVOWUB/Qsy5wFAqNS"
    "ElhJV6mSrsKbwAVA6/p9RqEOD2sKiyIc+3ojGJN3AIOHfr/FWXoLgPjGB/Q+6LGZGEc2nh"
    "SE9+kADWZ5qv8z/B1sdH/6U6oE72e2n3NdtIgRnCI1jNhpBdgxpRO0eroTPR0CmtN8jKew"
    "UANdoRcCntCLVEfoRYLxpBlQQU/KTM2FckysgTiLnNyRfm5H4tQOAhTFawXhcxLn7OoGMd"
    "EG6clFlDjw0DGQaXNIe0LIBrIS2j9lDcC8HrYCawCGdY0E5Nnu65io9F7X2Xutq9a24xwT"
    "leNc53GW1Ln0baq5UUh5lFPTRp3zscujnCqJLNC6bjr5+flwjUlJZGVoYW+hBX8uFhZaGI"
    "c6bCjEse83L/M3nGgWJtTGTNgclbM5ZN6D1KqrLZ8dm6+pQYLwjN4YJPDnRuVBAv/5dGa4"
    "edD8EMJxtLq1DBlUGTLY71ks+1YRyj98Wh7Isj/O3Xr5yTHBY2INnOdnbZEqAO30KgDt+C"
    "R/0nQbYo7K8PfRcJASdVyLxM12bWqD/wBds0qzOlp/fXLMKUURPDrkRTTTOqGP/Vur+rlP"
    "Icqe+/Fpfhw1xWkH8bk/x8hZKo+5IpRhmSasNxVUubfoSpEP5ZBIdUtLzDt6yGgjPOOlgW"
    "4APJCqEPPr7uiqGrRFyo2kVxtJFBvBcKotNWjyjhVIX9CjUvVY0+nzGrOmy+CyPGCuNnvr"
    "YYYlZDDqZxx1kWCU/8U+5gxIJeQaxIiSiVm1Q1XGo6qPR60/8QLAFaw+U7MFQRTZxGqYOw"
    "Uj7r7bMQzV2MQXbjJWITG7HIlYh7IAlBuzQynpPGhjEg+qInOn2nCayCyR8bTS4mk1KoIr"
    "dLBDxrkO8liH5ltmhR74rpkvmr3rHthjnRzgDBBSFGhxwB0Balj5xFJVA6pKGerITuHyhG"
    "9nKgoWa6hYQcu96AvPMFegy2veuH2tqOLu6SrEi6o7uXSIQKCBZIXTtkj+LmmVHklsJ3J4"
    "pY+3aZpEmo83hyZR5k7Adk3OFuDvpulrf7BlV8rcRG6ZkizWpuRpVmpX0nmQ17YMyzRuHy"
    "7eviQ6lqbnwTcQaBy4pfB3lqplrRBZSvMeF5QQbKCeUwr5+EnDlp37yNGoVAOxLn7pYEnm"
    "eXGOCEmYBWBeEojynZ7rCzSP0NoWQbedjm47ga4kmFVMMCPAvUCskadwNOZNkIclKwQ9uH"
    "KwqFvQssiLUQAtblZOev3VpGR1zJTTslaVgsk+bFdjp6puW6wlLCzLtdTHoZLkSsqIXPpn"
    "dZh+NMmQ/RlHXYQhK0mcZeyWvqdVHNOQhER0My0Wo2KKlKNGMeKO43WzEb8u+T1ZNe57V+"
    "MWZykoANWfmGq8RlasLEsBZNjujwZzYIOfpEjisDBoHmVKsaDJ0eUkbyqKk+JwD24qBaZD"
    "nE060X13/Oz6pIuGosNcpJqt7cpQpBB13L6atHNGsbIsokcYNJlcMdQZzyGdF7Ggx6ZOrz"
    "VkEq1cE0xH1o6b308BGdHl50WsXSPbO0eygRghe0lazHaFaWgvr9CssdoUhk8YWgvFRs9w"
    "9zqTrK8x7aq5eCXrOO6a5ZejJuqhfIhl8je/wccFQs/XUNdeIKbe3QSVM97kOIvVuXIbU3"
    "8Aba0J5gG2OibQzEfkmDNA11LQmVlgulDNOQSP8AlhCDQbaBbAyCHjCWwEVBO4Tghw5JgG"
    "eSNyeUlXcvIITQcLiOGbk1YM+TKfwyGjfm/RuUi6NVjsFjl4ChVqTTAOaoKqSvMgHAYYhl"
    "NI8HPrhia4qintJG+1St5qeGSFWTshmQbyok4/iHAr46GeELXyQ5JZOedHEbI4lfOUMEIT"
    "IC4qSSdcfC6yKuVAOinZQMBLSdNZqq86Ujlgp1ehC4lUX4JuP6yRUorNrffO5DTvmo6RCP"
    "BEp3wgXWG9RX+Tb+UbgtZ996rb+7V7fQn8Hibm3f3wqjsa0YtLjKbQsujVL51en16iGo33"
    "nL0v/fRdHAwVDFWLR2bLoHknJBtIki2DVa/a1BTj+dmyD08My1UXun9XruJYxLGJYfU8gW"
    "k2oygmKilFdaEUiRDJgqV1i4GPy0qiaH24Y8mR3g95rGYDWjjTmloUBiSGdy5c42IS2hrW"
    "VqwZvrvzndbF/7hTuABsqaPy1uuqmejGv9zc1RXLdJF3INamixbHM+7dOc5yiKvrNs0phv"
    "ez+35TM6wyStmkplY1wUtWjjlKPqocCHvNG4huKUULyBNtLjsy3QcZEpE+yJw+yL3W6/nz"
    "/wH4QVny"
)
