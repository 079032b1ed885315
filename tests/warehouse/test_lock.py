"""The writer lock: a second writer waits its turn, and says so in Chinese when it gives up."""

import pytest

from pipelines.messages import use
from pipelines.warehouse.lock import WarehouseBusy, writer_lock


def test_a_second_writer_that_waits_too_long_says_why_in_the_user_s_language(tmp_path):
    database = tmp_path / "w.duckdb"
    with writer_lock(database):
        with pytest.raises(WarehouseBusy) as busy, writer_lock(database, wait_seconds=0.3):
            pass
    assert str(busy.value) == f"数据仓库 {database} 已被另一次运行写入 0 秒，本次运行等待超时"
    with use("en"):
        assert str(busy.value).startswith(f"the warehouse {database} has been written by another")


def test_the_lock_is_free_again_once_its_writer_is_done(tmp_path):
    database = tmp_path / "w.duckdb"
    with writer_lock(database):
        pass
    with writer_lock(database, wait_seconds=0):
        pass  # no wait: nobody holds it
