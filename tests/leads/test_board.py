"""The rendered boards a process keeps stay within their memory bound."""

from __future__ import annotations

import pytest

from salesmagnet.leads import board


def test_boards_kept_stay_within_their_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board, "_boards", type(board._boards)())
    monkeypatch.setattr(board, "_kept_bytes", 0)
    monkeypatch.setattr(board, "KEPT_BYTES", 2_500)
    for entity_id in range(1, 6):
        board._keep((entity_id, 20), ((entity_id,), 0.0, {}, 1_000))
    board._keep((4, 20), ((9,), 0.0, {}, 1_000))  # read again: replaced, not counted twice
    assert [key[0] for key in board._boards] == [5, 4]  # the least recently read went first
    assert board._kept_bytes == 2_000
