from django.urls import path

from . import api

urlpatterns = [
    path(
        "dossiers/batches/",
        api.DossierBatches.as_view(),
        name="api-dossier-batches",
    ),
]
