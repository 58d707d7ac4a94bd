from govqms.demo.documents import load_demo_documents
from govqms.documents.models import (
    Acknowledgement,
    Document,
    DocumentKind,
    UpdateTask,
    VersionStatus,
)
from govqms.organizations.models import Role
from tests.factories import make_user


def test_demo_documents_on_a_small_province(world):
    make_user("b_head", "Đinh Văn Bảo", world.b, Role.HEAD)
    summary = load_demo_documents(units=[world.a, world.b])
    assert summary.loaded
    # Both communes adopted the six system procedures and the commune procedures.
    for unit in (world.a, world.b):
        documents = Document.objects.filter(unit=unit)
        kinds = list(documents.values_list("kind", flat=True))
        assert kinds.count(DocumentKind.SYSTEM_PROCEDURE) == 6
        assert kinds.count(DocumentKind.OPERATIONAL_PROCEDURE) >= 4
        assert all(d.template_id for d in documents)
    # Agency 0 (A): adopted early and overdue for review, cites the replaced decree,
    # and has a new issue in review.
    a_docs = Document.objects.filter(unit=world.a)
    assert all(d.next_review_due and d.next_review_due.year == 2026 for d in a_docs)
    assert UpdateTask.objects.filter(document__unit=world.a, status="open").exists()
    assert not UpdateTask.objects.filter(document__unit=world.b).exists()
    assert a_docs.filter(versions__status=VersionStatus.IN_REVIEW).count() == 1
    # Read acknowledgements partly done.
    tasks = Acknowledgement.objects.filter(version__document__unit=world.a)
    done = tasks.exclude(acknowledged_at=None).count()
    assert 0 < done < tasks.count()
    # Loading again changes nothing.
    count = Document.objects.count()
    assert not load_demo_documents(units=[world.a, world.b]).loaded
    assert Document.objects.count() == count
