from django.urls import path

from . import api

urlpatterns = [
    path("documents/", api.DocumentList.as_view(), name="api-document-list"),
    path("documents/<int:pk>/", api.DocumentDetail.as_view(), name="api-document-detail"),
    path(
        "documents/<int:pk>/versions/",
        api.DocumentVersions.as_view(),
        name="api-document-versions",
    ),
    path("versions/<int:pk>/", api.VersionDetail.as_view(), name="api-version-detail"),
    path(
        "versions/<int:pk>/sign-offs/",
        api.VersionSignOffs.as_view(),
        name="api-version-signoffs",
    ),
    path("versions/<int:pk>/submit/", api.VersionSubmit.as_view(), name="api-version-submit"),
    path("versions/<int:pk>/decide/", api.VersionDecide.as_view(), name="api-version-decide"),
    path(
        "versions/<int:pk>/acknowledge/",
        api.VersionAcknowledge.as_view(),
        name="api-version-acknowledge",
    ),
    path("acknowledgements/", api.AcknowledgementList.as_view(), name="api-acknowledgement-list"),
    path("legal-documents/", api.LegalDocumentList.as_view(), name="api-legal-document-list"),
    path(
        "legal-documents/<int:pk>/",
        api.LegalDocumentDetail.as_view(),
        name="api-legal-document-detail",
    ),
]
