import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from govqms.core import audit
from govqms.core.models import AuditEntry
from govqms.organizations import services
from tests.factories import make_unit


@pytest.fixture
def chain(db):
    unit = make_unit("T1", "Ủy ban nhân dân xã Tam Sơn")
    services.update_unit(None, unit, short_name="UBND xã Tam Sơn")
    services.update_unit(None, unit, name_en="Tam Son Commune People's Committee")
    # As once committed: on PostgreSQL the head moves at commit, which a test's
    # transaction never reaches.
    assert audit.chain_head().last_seq == 3
    return unit


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_service_writes_record_who_what_before_after(chain):
    entries = list(AuditEntry.objects.filter(unit=chain).order_by("seq"))
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].changes == {"short_name": ["", "UBND xã Tam Sơn"]}
    assert entries[0].actor_label == "system"
    assert all(e.at is not None for e in entries)


def test_intact_chain_verifies(chain, capsys):
    call_command("verify-audit-trail")
    assert "3 entries verified" in capsys.readouterr().out


def test_entries_cannot_be_changed_through_the_orm(chain):
    entry = AuditEntry.objects.first()
    entry.note = "sửa"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(note="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_edited_row_is_named(chain):
    second = AuditEntry.objects.get(seq=2)
    _raw(
        f"UPDATE {AuditEntry._meta.db_table} SET object_repr = %s WHERE id = %s",
        ["giả mạo", second.pk],
    )
    with pytest.raises(CommandError, match=r"entry #2 .*altered"):
        call_command("verify-audit-trail")


def test_deleted_row_is_named(chain):
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [2])
    with pytest.raises(CommandError, match=r"entry #3 .*#2\.\.#2 are missing"):
        call_command("verify-audit-trail")


def test_deleted_last_row_is_noticed(chain):
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [3])
    with pytest.raises(CommandError, match=r"chain ends at #2 but the last recorded entry is #3"):
        call_command("verify-audit-trail")


def test_inserted_row_is_named(chain):
    # Shift the last entry up and slip a forged one in at its place.
    last = AuditEntry.objects.get(seq=3)
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET seq = 4 WHERE id = %s", [last.pk])
    forged = AuditEntry(
        seq=3,
        at=last.at,
        actor_label="kẻ giả mạo",
        action="update",
        object_repr="forged",
        prev_hash=AuditEntry.objects.get(seq=2).hash,
        changes={},
    )
    forged.hash = forged.compute_hash()
    forged.save()
    with pytest.raises(CommandError, match=r"entry #4 .*does not link"):
        call_command("verify-audit-trail")


def test_diff_and_snapshot(chain):
    before = audit.snapshot(chain, ["code", "name"])
    assert before == {"code": "T1", "name": "Ủy ban nhân dân xã Tam Sơn"}
    assert audit.diff(before, {**before, "name": "X"}) == {
        "name": ["Ủy ban nhân dân xã Tam Sơn", "X"]
    }


def test_an_entry_after_the_last_ones_were_deleted_leaves_a_gap(chain):
    """The next entry follows the head, not what is left of the table: deleting the
    newest entries cannot be covered by writing new ones."""
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [3])
    services.update_unit(None, chain, short_name="UBND Tam Sơn")
    assert AuditEntry.objects.order_by("-seq").first().seq == 4
    with pytest.raises(CommandError, match=r"entries #3..#3 are missing"):
        call_command("verify-audit-trail")


def test_many_entries_in_one_transaction_move_the_head_to_the_last(chain):
    for n in range(30):
        audit.record(actor=None, action="update", object_type="test", object_repr=f"#{n}")
    last = AuditEntry.objects.order_by("-seq").first()
    assert last.seq == 33
    head = audit.chain_head()
    assert (head.last_seq, head.last_hash) == (33, last.hash)
    assert audit.verify_chain() == (33, None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the head moves at commit there")
def test_an_entry_slipped_in_behind_the_head_does_not_move_it_back(chain):
    """Delete the two newest entries, write a well-formed #2 after #1 by hand: the
    head stays at #3 and verification still notices the end is gone."""
    two = AuditEntry.objects.get(seq=2)
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq >= %s", [2])
    forged = AuditEntry(
        seq=2, at=two.at, actor_label="system", action="update", object_repr="forged",
        prev_hash=AuditEntry.objects.get(seq=1).hash, changes={},
    )  # fmt: skip
    forged.hash = forged.compute_hash()
    forged.save()
    assert audit.chain_head().last_seq == 3
    with pytest.raises(CommandError, match=r"the last recorded entry is #3"):
        call_command("verify-audit-trail")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the head moves at commit there")
def test_a_deleted_head_row_stops_the_next_entry(chain):
    from govqms.core.models import AuditChainHead

    _raw(f"DELETE FROM {AuditChainHead._meta.db_table}", [])
    with pytest.raises(RuntimeError, match="head is missing"):
        services.update_unit(None, chain, short_name="UBND Tam Sơn")
