"""Signals other apps listen to, so that `assessments` never imports them."""

from django.dispatch import Signal

# Sent inside the writing transaction when results become final or a final result is corrected.
# Arguments: year (int), organization_ids (list of int). Receivers defer their work to commit.
results_finalized = Signal()
