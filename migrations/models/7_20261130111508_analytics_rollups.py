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
) CHARACTER SET utf8mb4 COMMENT='Activities per entity, day logged (the entity\'s time zone), owner, type, status and';
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
) CHARACTER SET utf8mb4 COMMENT='Leads per entity and day of arrival (in the entity\'s time zone), current status, platform,';
        ALTER TABLE `lead_data` ADD `first_assigned_at` DATETIME(6);
        ALTER TABLE `lead_data` ADD `reached` SMALLINT NOT NULL DEFAULT 1;
        UPDATE `lead_data` l SET `reached` = (
            SELECT COALESCE(SUM(DISTINCT 1 << (s.`status_id` - 1)), 1) FROM `lead_stages` s
            WHERE s.`lead_id` = l.`id`);
        UPDATE `lead_data` l SET `first_assigned_at` = COALESCE(
            (SELECT MIN(a.`assigned_at`) FROM `lead_assignments` a
             WHERE a.`lead_id` = l.`id` AND a.`assigned_user_id` IS NOT NULL),
            l.`assigned_at`);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE `lead_data` DROP COLUMN `first_assigned_at`;
        ALTER TABLE `lead_data` DROP COLUMN `reached`;
        DROP TABLE IF EXISTS `activity_rollups`;
        DROP TABLE IF EXISTS `lead_rollups`;"""


MODELS_STATE = (
    "eJztXWtz2ziW/SsofRmn1vHGcpx4nKmpUmzF0bQseS25MzWtLjYtwRLXJKEGSSvumd7fvg"
    "D4EB8gBUokRTH40h2TuCB1AAL3ce7Fv1sGmkHdOulMbe1Fs1+vkGParUvw75apGpD8g9/g"
    "GLTU5XJ9m16w1UedSaheU2VK27J76qNlY3Kd3H5SdQuSSzNoTbG2tDVkUiGvfw1aYAkxgK"
    "ZNejgGaGVCfAzs1yWRsWzVdiygmjOwxBrCrMV0oZpzOAOaCewFBOQxpkXfANG/VfaqMzQl"
    "j9fMeZkPmpg6mlsAYeAsZ6pNuietDHBkqTq0DHVuQvtEDZ59guEU4Zn15hLommUDG9kEF4"
    "ChOqNyFiSPsWz6F3qamAxI8v6ka9ISGJquk8eShz0BjFbWCf2Rjqn97kDFRnNIOsDkp/7y"
    "S8v9dey2BbGizdhg+ONDfyy94P5c+i//17Z+/ZX8pZkz+B1atCv65/JZedKgPotMD7dLdt"
    "3tj1zrmfYX1pBi/0imge4Y5rrx8tVeIDNorbnzaQ7JABDcaPc2dugUMR1d9yaVP2vcX7lu"
    "4r5iSGYGn1RHpxONSrsvsL7WUpTBcKyMumNFaSUmoS8Rmi7epSlBmwy4Rqcz/fVz+gpv26"
    "fvP76/OPvw/oI0Ya8ZXPn4p/voNTCuIINnMG79ye6rtuq2YBivQQ0NliCyIYnN8PpgZuHr"
    "X1gDvP5wDwbhNaKJOR/F9Wqh4q7pGAzcHnkT1ZzCBMiJTmJQkx9QH6hbV51+/xJMVV2fmN"
    "3bTo/8AQ1VI3/ddrvj3uDmEhgQ0mVlYpJ+uuQhyIYTczTujB9GytXXzuCGXHQXB8Vd/SZm"
    "ZzTq3Qxuu4PxJVAtS5ubBllkJuaXYb8//KY83JG3R7qOVoqzjK+9KUNtqN8VHZpze0HH91"
    "3GuP7cuSevdX/UfveG9o3IluJuOQPvTpvdig79enXbZsxDa2OdB/uuO7hmQ7qE5owN6dXw"
    "9q7fHXevyRxAxlKH5B3J1c7gqtvvs6v09+o6nG0zTKciw3SaPkyniWEKtp4tByosX+uhIp"
    "8J2fTRin6H172HW/oZzjTHmJhfezdfL8FCmy8m5sP9DfvGHExeO6HF7GeIpr7uJ7gpBe2r"
    "25LeHch+5Cpm+fb4iIzc5T1UqWb69MxVo9babxThLwhDsnH9BF8TS0oMVs/46QYdHRjAf/"
    "pzyL+6VpSxugrU+ejUIr+f/GqyX7haxOiqc91tMZwf1enzSsUzJQI4vYPaKHYlaJu8ZbSN"
    "+BXVVOcMHvo76FvHzM57olM4y1aGYeq1OBayTDFrvJtpOlNfyTI+pybhETUI3et/IXafZk"
    "DwBzLhm1SzUtQq3eUZE9PfEj8BA72QLlaavQAx63yjgSpiXJLXlDZmDdfG4wwb0xuzKKrX"
    "BBw+rF7zGK7U0UGn4gn9x+GujzwErzvjbmzTlma5NMulWS7NcmmWiw+UNMulWS7N8lpMcW"
    "mW1wXgwzfLAxXjysEWwi2eYR5vc5xpmgetlSlrLmicjx3sBkKpeYzJyjZ7i9GjZgLVsdHb"
    "da+0iWp6BjTRkcCjak8X9KoJTLgCOlRnxKxWn2nglvaZMNFLe9LE/I3+H7wlDf4LnIKJ03"
    "7X/sDu/UajzcTKJxvT9JkGgKneA+lTiKWPwBKjKbQs0pFFNmPIWmJEmhBw0ux2aXTv0eim"
    "Y5qE9bM2T0XWl2jMXv3Xdvvs7GP73dmHi/P3Hz+eX7wLQE7eykL7c++GAh5Rk2q7ox/8rE"
    "7s53k2ns17/9CEY0T+U/rOv9eBKGvf32kv97Dk7OBrlNP3bfaqGhTbrdOBkhtVvTYq9v8E"
    "rNTk5+Pqty/GxN8vtDFzXcxezzLYk74vaFMHH8f79Y/RcMBHOCwT98JrUxv8hxEJy1IKWn"
    "97ckyX7PjoaDp5E+uEPvbvrXKXSh7oFCPas2FZv+thrI9uO/+MD8NVf/iZQYYse45ZL6yD"
    "z3EnCoYUMkXleFKuvShHijslIpkVIKH/OEBrtUVZqUNTf/U+xIyhGfduu6Nx5/YuMj40lE"
    "LvtNnV19jVow+xMQs6Ad9646+A/gn+NRx048MYtBv/q0XfidphiolWijoLrRn+VR+1aESH"
    "UXW3GfWopBz1uoy6j1Fo2Nnb59BfOeGpNZM9Zrl5HXz56R7qzOxO11kTDPoDmxBpyis/oB"
    "diWOwO2Zrb0UTMVvBxgdCz8gxfd8TLVdi/uf39BJvkGo0a9S9w58+xS/sYOvYj+t5YmL4v"
    "Ed4ZJ9ZJUyEKfpOCYQFg3fjd3cMmo6aZZFWGO2LVY500FSLm5d8NoD7poqnwrImGu2Pkaw"
    "mNxSoILRUBVtBZU+GiX14hCjuFq9HKOkPKgLa6O063Xi+NhakQe4Yi1WxbxrLVeRFr+oj2"
    "01SQluS3KYa6XPJ9wHmwuiNd3bo9NRUtVzFXyPtNHfqAHRFzNfOu31vDUbOmCzhz9F0/SR"
    "e0kddZwzGzobHU1Z3tGxezsddZUzGjGQ47AvVAumgqPL5vj/xQ7QXine0dz7d37XYnYvJ4"
    "YZDao5aLrsgzjjzeYDq+PsdEwO/MoS42CObc5JCQRzmVJhL1Om8gjLwqcae3ANNzAV2a4w"
    "xYcIqhDVRAerE0G4InhA1y1ZxZlDD5z7fey7wlb/OJ8TXJY8AMTrWZW5fHY2cyjmSU5FnS"
    "QyS/pV78lmeYktHCh9Vr3jh2y4f3AuSWD+9TuS30luRRNDuiLsKjwPAFPW816lHJAka9nh"
    "tx3QeZQ5tIjnJNuNT7/oxldtR+dNfjQ8mOYtSCwETjacyRBtnqMm0aMx8FSpaYADFqA2Dy"
    "wJMnWq2NgGZbACNkWJ/ACmu2DWmK0ZT0YpLGfvnKWVI3LqLTiTkxb1XMcpmoiux1iNGK9g"
    "D1J3CkmuDhjq53LJEK/N/Hd+/ePr7aNLNp9QbMkEOQmblJWHCGaHkUANXpguVV0VKZtJom"
    "uUlVv0fVgidgzJrqKlHOMVpaXn1NWjiTvSJ79SVGdKUk/1BZPhVpo2H3d6aW1xRV4N0h5K"
    "2a6QpnWKZxWufZBwGt8yy+0621TnqLp97vlKNS8OfvMYvSPv418WjTp4/WLQtNrwjX77Hg"
    "74lqPL+EFfJfc1mnWflsDTNQK8lmSzdj6cDlgt8TaJIiVnVCoVzNy1nN65J8tO9ZHQH3vU"
    "j20fv05KP3yYIu6quOVM70TU89ColUn3m0H9u8lBwjrxpYrrSvsEw90r7o82Tal3RX1tST"
    "JeKulI6slnRkSUdWS8iSHUECJh2gNFs2aHC82Zq1vLaCfqwhK2izCtXEBQuk00p6zGujq5"
    "btOaNIx59YlRzXHbWgZ7cQ0xnM1aVO/TqmYzxCbCW9WuU8Yhd3UT0WpzpY16WFf+moKrmN"
    "57CUrMeznfnMHLFEbcoNfkxQ4i+Of138om4mIW8bCXIMM/aPdTJjqXVmfokupmEn6DH4JV"
    "R4lryQRlTS/O7RH8U3Wtrq7fN0X9NqRqetIBGxBnqLztoirrh2uiuuHfcWUc4bzzZOR3kt"
    "0UCALwTwvUiF9yKBrqbbXPp0uj8oJFIPd1CjqgBlFSVPCajsoRB5y6smXhbqsQpYIv7903"
    "T//mnCv0/mMFTyOvkjQlthXTNmWKzA/vm5AMykVXqJfXovpmyjlZK3OnhEZistu244F1wj"
    "3NL+gAolpHDWifS4a0RIwsqJq2KMsGJAy/IyP6PIjuH3NN9HXLAJi0OWs737z3H2xhf42v"
    "vDwY3fPL4byjiIjIMEJ5BsM+4xWUndrjV1e+2syDnOUUk5yrUe5XqEDva9YBesmWAas7Lo"
    "SveYE1uOpFT9ZOC4ysBx2kQuAF7BvP2aTV5RbDnfbgRh8h5g8NDv7ys2Hy81yAmrcKoRps"
    "dXuJUQq4y0rF/Aj7VEbse89xta+zU86J8yOiOjM3Vw8ZUQnZHxg3rFD+hHkWc0/PaSVr0D"
    "6IcRo2z9r+WWnDm4KGVkq02gnO09iMtK/2BdHAqSJ70vf8L6m8jrT+BISn9CEuCw8i8Obk"
    "xKAisdNfty1NihopE7Qpu7CmXNprAowrGvN8VVk7YMS2/YBng5O09ub1g4GrWvWr4HAn++"
    "apg5PYfewRsch+H6SI50P2Ho7A+hOjSsPRtHYC9UGzxp36HlZ9rQFBqMdFZb0T29Gs412m"
    "lwgnW8As2O3e3E/5Z+xCr9iFMy95SFai3yWPYRocaVWii+XCM0VE3PA3Ag0ASWVQVHvdaI"
    "eFFT5bnujhIh5oVjbXeKqCX5UwcxvpIfmb6INtf/6Y9dXj9dQk76QXmMb+ldLoOtRuyfnC"
    "y1tYRElIMo26TzLgFRIelMls7kvbH+kF6IIxk16uCnOKihRTAC6T3RIe57V+NWimJQnef4"
    "UJFNKEObp6y3eEqv/AZoo5tMreip7PBijovZP9Q43cHMjtv0iVFixwJREXAUCJ5oM6BZYN"
    "Ky/XvabNKiVZzw62oBMXzzCUxVTMupsxpPUwdjWuAJrcgkYU5kN6ubfzxQmQ/buTxJ5KZX"
    "dJ1/c524ntkHDapRupTiHYGT2dg9jIvc9apWbhRwvYmcp5JPGWa+tPsvZbpQzXnQ+79b69"
    "nZsqCKpwvFht/ZPepPoxXeWdTJw9Wbm95HGCwy5LPxsyaJMFbpRfc7kt7/qrz/0jEdckyf"
    "CzmmzzMc0+fJOsDsE8sBcCDQPIDPRPA9S4f3LIHuk4Yte4saF2Gp5uFcSoSFVeXLi3RESA"
    "ItBPQTeXD+KR0Wah7QbSGg2xlAt5NABzq+kjefICm5U2ZBzaCvOrGAPp4WrfUDM7nCPjFZ"
    "Gd6rc3gvbuUkV7eu6RgJn0NUP4r1UecMttaXzlX383D4E+1uCh8Rep6YvQGB8ea+c3sJNP"
    "oj51g1Jua37udRb9y99I/BnZi3ncFDp38JiO3vqHrcRhbangovKWYhB0+hslTn/OBHRgG3"
    "hGTzdqnieUNh1PKqBDzZ5mFeitGWVZ9w8wq1l1qFJly1ci5Og+43gjFcTcz/IQtN70uve3"
    "0JfidrjUZ+9WxiXg0H487VmF4lQ2CrU5teve2SfWRwo4yuvnavH/r0rgHJ3mrOFWu6gDNH"
    "p63u7od3w1GnTx4+GF/Sc//IXqLqCt2sJ+agezMc9zrj3nBA32CObI1xR8kySK+s6L/6wx"
    "ER1JGrQeVXGIX0xQx1kT8nwp6wnKoKtwNJVKmLAiNCVAkcr/lHPyYq9dQ666mug2iH0eZ2"
    "IMe8zmOO6em2kKPTjgxV1zNqTwVi1bF6Tstaut1ow1n744cg0ED/yIoxjG47/X6SzSOZnD"
    "/iBhkKheYc9aikHPW6jDpn7fTePnw87joEnBj29IrCMbEm2KZZg1pGPWEeE0AwQs4TlfxJ"
    "SZ+uBlXG6zGgreYDNi4mz2CTfN/y+b58cmpkAS0A4GZzKHnbzQ6lDdSprb1otsY7HSJPaQ"
    "PKk+y4fTVpbnMmqgFNuwiwgs6aChcNyRUxrUa2d1BGU0BK8pg5+3kSt6EJx4j8R3AZpNDd"
    "eh0d1EYuuhLGdRiBk4h3pogHS1wKVTy8BG6gjEdXXoHaJGCqUrjgW8ocPfaDRcfARDZp/o"
    "R0Ha3eOstjj6AN3AAJQBisFy6gozn5cQCZQGXs70/xoFBZz5mYKvDOAWOlTlaavQC/mcRm"
    "VdwuFWepqPZvlJyurp8CZg4E9gJuWQ6FIS1CPRckgK9Dkok3z2y9xBrC3rwQkfQmx6v7UW"
    "96q/RDP9ELxARBhYwdC0aS5+KUd5B88Sr54okB3iZAnuik1hyeq06/f8kWl4nZve30yB+M"
    "BB+EwoMA+MQk/XQv2YozMUfjzvhhpFx97QxuyMVI+Hdidkaj3s3glkXH1+vPxPwy7PeH35"
    "SHu0sQzPP4WrefAHgYlsTAp3v5YmJ1HurauvnohOJopOmgBwLSqboF2olNJoF8diyD24GM"
    "/tYngsFhpoYUna1YqSH5CllfBpxpjtHKuaORDYYyq1Z0B7vuPdzSDYz2MzG/9m6+XoKFNl"
    "9MzIf7G7Y7OXjuWfv50yOEsiMykiMaQMzb7hDh1l13cM10C0+e0vFu7/pdj47nHQpIrnYG"
    "V90+o+FN6Y/WdZeMsP+xStPh86ykaX3IxbTOi6nkfqR/dIfJApDcjx9x1EW4HzI83iorPJ"
    "4/Mi4RzaoulpMgsysvpomISqLBHogGulfLZ0dc/ZJADUU1tAAKVb6qkLJxqJCmUTXW03R/"
    "Ra9CPIS0mGaEqbApqhnlSGwOaw7psQdoRczzSPwQvpD/XtLIH6AlGcBCs2yEX8FRULaKCi"
    "0Q+ZmsUaRM1ZtkJazyHrNLTDKc2CJWnkpQQgb09hHQ4wV0xCN59Y/rtNxgmx9om5j3Xf8K"
    "Mcy8aw8D/5pj+tc+P/R/ugSPjv48MTsP4yHpgZhCW7nXCk/F99+crgcK/SNtFFPzlnjiTY"
    "gXxQKh5+cikdDz8/RQKL0nA3I1yHKoQ9pt3ZS5A/UtiZ2LOttq0MNyMlJQH+dhcoSDz/Px"
    "dZcUpqi0zGJKur9kophMFDtIVKUnvGhElxi+aMixtlgKeKJyKZCucekarzWquVzjMq0xD7"
    "Qb0xo35I56mqvEWRTnqKovAHVkz5I4b8CZt8PXLvZzhZz0sI9783hjxGdK2wkGe2i/FovB"
    "uBuUn0N2DPxqtOyEERZdOfYSy2ZAM1nsxSLvSLBWTcv1lgOVxWQSoZ4yHjIxddbrkaXq0D"
    "JU8gnZJ+zSifv735BpgGzyq0mP7AJ7Bu1xqS2hrrHDvVV2xYKsXi39Cz1NTNacZsVhtEo9"
    "VeWXkO4TYt/GSviyn0Qn26+xCJQMBVUZCjo8cvUWoSBZ9DRPzpcs2H3gBbuDpVV8uQyLVO"
    "dAeVfrRTN8WIGnXgiiGbSXUEqHqfQ91dj0ETjvdX8mD6uIkmLx+NVSNhg8fnUWgbMeqR2x"
    "RNhmxoBqE3wfHWZVoCe/LgazEdwhBmRjJ5veM7SIrUCerb1Adgwj0Q4MYnXwzncs4QFc6y"
    "Oue3hnIoQcYt73Ebc84gclYjSlhxpSfS/QczGcQvIqKZw29lhq0yTLXqjGUiXfHv+uYxuK"
    "+5r+X357t/HmV5FWU5VWk1SRD1xFTq4Johy6pGSdB25L/txp+0IE8fZFOuT0XsyuzH+AkD"
    "w5KNfJQf72kwPhkIhEeDPCuZeL3VaJHwzdsJKUA+OYmERaAGkv536r4xdjspJtWWe2ZdhK"
    "yDnQMVHJo67LwIvwqJnq5OBc57yHZZq3ip6ftgWWUdIqdR1l92Ip5hHLXRToqFTzoC7ljG"
    "wK2rr2VR6o11ISamGoAw9UTrDDcg2Eu4yjRylsNsS557Uv00CYS5vVyLQhL5i3YVKvxSTY"
    "QmBzXdZb+Ul5HVVYy8/Xglv5xqJ1373q9n6mrBG/B0YWueqORvSi97Po1S+dHmOXPKnato"
    "X8CneQ0ndxMNwiyTgp2bwvppT8Yhkab8nQ+CGExkXowOES4n7sNol6nuNVvsHHBULP1253"
    "IsjXbAlJA55zxkoGj2BTHowPqX8Ci9i5NQ1DMyfR4h7purNspVAtvLvHG8kWmDXckl7OWB"
    "Ez9ZWxITDWXlQdHHlEb7fFXyxA3WzgD2TCN8dBeZ84Yfw4rkCU+KiJyYiDrEP3JrRonSIM"
    "FgT8Y/fglNVCtVnfZAj0V1ubWkAlTVR6DgttSm4Zn4BB/h1htk/MJLUdpDLbPezJy1oo9C"
    "DGY1fBE1wxyjr5J/ndE3PNaV/3KkJnJ8L0fwKs9uP1KdGS4L5PqoY3ZEm/Nx9Wr3mWr/tw"
    "93wegtRXffAF12VOgMwJkIQnmRNQIZHd390TeI4MVddTQQ2JVYfpabmYnrU/fgjgpH9kIT"
    "m67fT7/JIfnC0ns+AHb5ORMzNIm86BZlhEAsoHlOze5Dm8SfpZm29ANizbGHz/2m6fnX1s"
    "vzv7cHH+/uPH84t3AdDJW1mIf+7dUNAjexknCeuV3NpuEBKicgy2HAOP+rXdKCSF5ThsNw"
    "4yVFDUOi9DBU3PonOPZE/x7QbntW9w7a7Phxc5/HoJsYZmXlIbsJbUd6qZ7Chp1zviJroh"
    "coNdXKgWMBGA3zX3RKRk8lxBfe5S/51chzj7rGmRlsELbW4ZvxmWtHRVefSMqdAlem6cTI"
    "er2scaGqkEuJuq9oYlJcP4kBjGke8x16CHBWX2QJ2zB2YOZr5pZYEczNH3r+FUM1Q9JZaS"
    "EI4Ptit94vXSqKG+7l71bjv9o9N3xy6hnAyr5ipFvgP3fcLNLo8YSPtwSjvz240vKxj+7m"
    "iY5zRLZ7qlyTdhLCrgu4X0tZwbSFRS7iB13kE4inreoY6Jy/Gu83jLE4HT19TDtAU4wy5P"
    "BK4k8CTPQSga0YifShDTiIxEtRbnLNdsA5eRiNpHIuRZEtujmussiTT26FagjoLOGgptZH"
    "MRmLDyQIMDP8Pam9Hp8Uhvvm8OSLJsC7GQ5D18ghiSGQFYL37eA5kzC3td9D/I4Dia6+hR"
    "JQNgQTiDM84R1UV0uDkYWW0UT2RVaXQYj/0/gWuG/1PlFoDaksi9X2ijlWJE+PMZJR6SFR"
    "7Cr5VAON29HxNrgmO5aie/ZjEX/QtnZn9GiKylZsqqEZaLAf9IBMvSSfxZXy30n4fDfgT6"
    "z704tg+3n7v3R6exWFY6RzC/AzAqKR2AdXEAppEBEharSDr4mknFz1sWSQWPMLcObA4Ukw"
    "WeU/Ec2ssr8i+e1unfylQ5kb0kbzwTZ8AhE75lGcRUih5qRQyUGU3iVWldd/LPhWotPpFm"
    "+itTHE24gpbtVoJfOphMTgg0C9BUfx4ZrujuRXhxYZeV2wX9Z2jN8khqS418VZKEVn1N9v"
    "WgbJWduBavdWLiz9373pfelZc+SgtrPGlTL3/0rjMafRveXyvE0O3SxFPVslaILB5kRkJ7"
    "YnZvO72+8nBHN4xLAA1V0xU36hb/xoRIAYVnmbI3ymOBBAJ1HrItjZBSqnLR9VKhi2MelC"
    "NCDUS6hDLhtg2Npc1Rc7KzQ8NyjcmNKSI9NLSt5jQqopINNCoOxIgQIo/Qn+YY2xmPUVFJ"
    "Eqr1OEsfwQ/iI9gvTaB2g1suT6Da4GDdwN01OrjnXMU7cvlWXS7dn5jw04RvH2f5algRf8"
    "NtKRoeRI4NLfDFq3Tz3z2/ug2gnjbQmVnUdUKzCmnnwEbs3y7XghMb3LW3zFP92LT1joWS"
    "ldXqcAheHlMyMorNsySLr9u0h0PT6g1x8cY6wytv7Dsi1IS4bAXHHEitPx395mr9MjWgqM"
    "1YMoSbXKvkHj6Rj24xRs/QbHEMgMj9TAsAuy2JAk2aioZsTYCWKj1325MGTBocUb+/F2B9"
    "cwLY0wP9XUdzzQQW2SQhLbKsGprOsQeK7VokVOs2dwOyIWsPwxfyDBmr3b/p4A1QDn1rLd"
    "FAnfZMxGw4SzcbzhJmA/vCcgf6olKNo3UWbzrIsNSm/bjuGqxQuILsIVslNFsyHHUQ4xtS"
    "DHIOcVRSjnKdR1m6H9L3yea6H2TQUQYda+B2qGnQ8R4uEba73+HU8X45x+8QbXKc7XqgjR"
    "XotxbzPqSjzQ0F+ietsGELFfxML2NKJh/2WdrS0q/S0s86S4iP7GGcH1SbAOF2FdQKrZ5W"
    "N8gPRHsRUlpDK1fOIY5KNnCYG6y0TpGxpBrCdkTYqKw0Suv8fUOMEVYMaFleOmN0qNNTwx"
    "OCTSAhVJ0cjuEU4ZmlBIex59AAubKymJU8rKQaVD1LKxeqERk5VTnlAT3LMmeBwKiUBFbS"
    "Vaqkq/AmcAHQun6fUajDw5rCogjHvt4IxuQdwOCh329xlt4CIL7xAb0PemwmxpGNJwXhfT"
    "pAg1me6v8Mfwcb3Z/+lCrB+5nt51wXLWIEp0gNI3ZaAXZM6QStnu5ET4eA5jQf4yks1EBX"
    "6IWAJ/Qi1RF6kWA8aQZU0JMyU3OhHBNrIM4iJ3ekn9uROLWDAEXxWkH4nMQ5u7pBTLRBen"
    "IRJQ48dAxk2hzSnhCygayE9k9ZAzCvh63AGoBhXSMBebb7OiYqvdd19l7rqrXtOMdE5TjX"
    "eZwldS59m2puFFIe5dS0Ued87PIop0oiC7Sum05+fj5cY1ISWRla2FtowZ+LhYUWxqEOGw"
    "px7PvNy/wNJ5qFCbUxEzZH5WwOmfcgtepqy2fH5mtqkCA8ozcGCfy5UXmQwH8+nRluHjQ/"
    "hHAcrW4tQwZVhgz2exbLvlWE8g+flgey7I9zt15+ckzwmFgD5/lZW6QKQDu9CkA7PsmfNN"
    "2GmKMy/GM0HKREHdcicbNdm9rgP0DXrNKsjtbfnhxzSlEEjw55Ec20Tuhj/96qfu5TiLLn"
    "fnyaH0dNcdpBfO7PMXKWymOuCGVYpgnrTQVV7i26UuRDOSRS3dIS844eMtoIz3hpoBsAD6"
    "QqxPy6O7qqBm2RciPp1UYSxUYwnGpLDZq8YwXSF/SoVD3WdPq8xqzpMrgsD5irzd56mGEJ"
    "GYz6EUddJBjlf7GPOQNSCbkGMaJkYlbtUJXxqOrjUetPvABwBavP1GxBEEU2sRrmTsGIu+"
    "92DEM1NvGFm4xVSMwuRyLWoSwA5cbsUEo6D9qYxIOqyNypNpwmMktkPK20eFqNiuAKHeyQ"
    "ca6DPNah+ZZZoQe+a+aLZu+6B/ZYJwc4A4QUBVoccEeAGlY+sVTVgKpShjqyU7g84duZio"
    "LFGipW0HIv+sIzzBXo8po3bl8rqrh7ugrxoupOLh0iEGggWeG0LZK/S1qlRxLbiRxe6eNt"
    "miaR5uPNoUmUuROwXZOzBfi7afraH2zZlTI3kVumJIu1KXmaldqVdB7ktS3DMo3bh4u3L4"
    "mOpel58A0EGgduKfydpWpZK0SW0rzHBSUEG6jnlEI+ftKwZec+cjQq1UCsi186WJJ5Xpwj"
    "QhJmAZiXBKJ8p+f6As0jtLZF0G2no9tOoCsJZhUTzAhwLxBr5CkcjXkT5GHJCkEPrhws6h"
    "a0LPJiFECLm5WTXn81KVkdM+W0rFWlYLIP29XYqarbFmsJC8tyLfVxqCS5kjIil/5ZHaYf"
    "TTJkf8RRF2HIShJnGbul72kVxzQkIRHdTIvFqJgi5ahRjLjjeN1sxK9Lfk9Wjfve1bjFWQ"
    "oKQPUHphqvkRUry1IAGbb7vcEc2OAnKZI4LAyaR5lSLGhydDnJm4ripDjcg5tKgekQZ5NO"
    "dN8dP7s+6aKh6DAXqWZruzIUKUQdt68m7ZxRrCyL6BEGTSZXDHXGc0jnRSzosanTaw2ZRC"
    "vXBNORtePm90NARnT5eRFr18j2zpFsIEbIXpIWs11hGtrLKzRrrDaF4ROG1kKx0TPcvc4k"
    "62tMu2ouXsk6jrtm+eWoiXooH2KZ/M1v8HGB0PM11LUXiKl3N0HljDc5zmJ1rtzG1B9AW2"
    "uCeYCtjgk08xE55gzQtRR0ZhaYLlRzDsEjfEIYAs0GmgUwcsh4AhsB1QSuEwIcOaZB3ohc"
    "XtKVnDxC08ECYvjmpBVDvszncMiov7ToXCTdGix2ixw8hQq1JhgHNUFVpXkQDgMMwykk+L"
    "l1QxNc1ZR2krdaJW81PLLCrJ2QTAN5UacfRLiV8VBPiFr5IcmsnPOjCFmcynlKGKEJEBeV"
    "pBMuPhdZlXIgnZRsIOClpOks1VcdqRyw06vQhUSqL0G3H9ZIKcXm1ntncpp3TcdIBHiiUz"
    "6QrrDeor/Jt/INQeu+e9Xt/dy9vgR+DxPz7n541R2N6MUlRlNoWfTql06vTy9RjcZ7zt6X"
    "fvouDoYKhqrFI7Nl0LwTkg0kyZbBqldtaorx/GzZhyeG5aoL3b8rV3Es4tjEsHqewDSbUR"
    "QTlZSiulCKRIhkwdK6xcDHZSVRtD7cseRI74c8VrMBLZxpTS0KAxLDOxeucTEJbQ1rK9YM"
    "3935Tuvif9wpXAC21FF563XVTHTjX27u6oplusg7EGvTRYvjGffuHGc5xNV1m+YUw/vRfb"
    "+pGVYZpWxSU6ua4CUrxxwlH1UOhL3mDUS3lKIF5Ik2lx2Z7oMMiUgfZE4f5F7r9fz5/5Ps"
    "VN8="
)
