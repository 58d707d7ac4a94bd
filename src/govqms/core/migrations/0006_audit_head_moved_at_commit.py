"""PostgreSQL: the audit chain head moves once, at commit (decision 0009).

A deferred constraint trigger runs for each audit entry at commit and moves the
head to the entry with the highest sequence number. Updating the head row for each
entry inside one long transaction cost PostgreSQL a walk over every earlier
version of that row (quadratic: 40,000 entries took most of an hour). SQLite keeps
updating the head with each entry (it has no such cost and no deferred triggers).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION govqms_audit_head_at_commit() RETURNS trigger AS $$
BEGIN
    -- Forward only: an entry slipped in behind the head never moves it back.
    IF NEW.seq = (SELECT max(seq) FROM core_auditentry) THEN
        UPDATE core_auditchainhead SET last_seq = NEW.seq, last_hash = NEW.hash
        WHERE id = 1 AND last_seq < NEW.seq;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE CONSTRAINT TRIGGER govqms_audit_head_at_commit
AFTER INSERT ON core_auditentry
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION govqms_audit_head_at_commit();
"""
# Back to a head moved with each entry: drop the trigger, then bring the head to the
# newest entry (the code before this migration must come back with it).
DROP = """
DROP TRIGGER IF EXISTS govqms_audit_head_at_commit ON core_auditentry;
DROP FUNCTION IF EXISTS govqms_audit_head_at_commit();
UPDATE core_auditchainhead AS h SET last_seq = e.seq, last_hash = e.hash
FROM (SELECT seq, hash FROM core_auditentry ORDER BY seq DESC LIMIT 1) AS e
WHERE h.id = 1 AND e.seq > h.last_seq;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_notification_preference")]

    operations = [migrations.RunPython(forwards, backwards)]
