"""Step 5, the sweep: a campaign (营销活动) is one SQLite file holding the list it was made
from, the customers with their offers, the band scheme, catalog and rules, the generated
documents and every visit; filled 走访记录 sheets are imported into it, and its results
(the funnel planned → visited → met → interested → signed) combine over several files.

For the window::

    campaign = Campaign.open(path)              # or Campaign.create(path, offers, info, …)
    campaign.customers()  /  customers_frame()  # list order; the frame has visit status
    stored = campaign.add_visit(key, Visit(visit_date=…, visitor=…, intent=…, …))
    campaign.visits_for(key); campaign.update_visit(id, visit); campaign.delete_visit(id)
    campaign.import_visits([xlsx, …], progress)  → ImportReport
    campaign.log_documents("建议书", template, keys, outputs)
    campaign.results(by="band" | "staff" | "branch" | field)  → Results
    combined_results([a, b, c], by="branch");  campaign.save_as(path);  campaign.close()

Every change is one transaction, committed before the method returns. Errors are
UserErrors with a Chinese message: CampaignFileError (missing, damaged, foreign or newer
file, or one another program changed — never modified), InvalidInput / VisitConflict (a
visit's values). Opening checks the whole file read-only first (store_checks, decode), so
nothing read from an open campaign can fail later on what the file holds.

Threads: a ``Campaign`` is used by one thread at a time; the window opens one on a worker
thread (the checks take a moment on a big file), then keeps it on the GUI thread for
look-ups and single saves (a few milliseconds each); a long job (importing files, results
over many files, a report) opens its own ``Campaign.open(path)`` on its worker thread
and closes it at the end, then the window re-reads. SQLite's file locking (a rollback
journal, BEGIN IMMEDIATE, a 10 s busy timeout) keeps both consistent, even across
processes (a command run while the window is open).

Public names are imported on first use (core.base.lazy), so importing the package is cheap.
"""

from typing import TYPE_CHECKING

from core.base.lazy import lazy_exports

if TYPE_CHECKING:  # the package's face for editors and type checkers; loaded lazily below
    from core.campaign.campaign import MANUAL, Campaign, Customer, check_writable, combined_results
    from core.campaign.document import Document, load_document, save_recommendation
    from core.campaign.filecheck import SUFFIX, is_campaign_file, read_header
    from core.campaign.frames import STATUS_DATES
    from core.campaign.keys import mask_phone
    from core.campaign.letters_log import log_letters, logged_text
    from core.campaign.model import (
        CampaignFileError,
        CampaignInfo,
        DocumentLog,
        FileReport,
        ImportReport,
        RowIssue,
        StoredVisit,
        Visit,
        VisitConflict,
    )
    from core.campaign.results import STAGES, FollowUp, Funnel, Results
    from core.campaign.values import IDENTIFYING, INTENTS, METHODS, OBJECTIONS, VISIT_HEADERS

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "Campaign": "campaign",
        "log_letters": "letters_log",
        "logged_text": "letters_log",
        "Customer": "campaign",
        "combined_results": "campaign",
        "MANUAL": "campaign",
        "CampaignInfo": "model",
        "Visit": "model",
        "StoredVisit": "model",
        "DocumentLog": "model",
        "ImportReport": "model",
        "FileReport": "model",
        "RowIssue": "model",
        "CampaignFileError": "model",
        "VisitConflict": "model",
        "Results": "results",
        "Funnel": "results",
        "FollowUp": "results",
        "STAGES": "results",
        "SUFFIX": "filecheck",
        "is_campaign_file": "filecheck",
        "read_header": "filecheck",
        "VISIT_HEADERS": "values",
        "IDENTIFYING": "values",
        "METHODS": "values",
        "INTENTS": "values",
        "OBJECTIONS": "values",
        "mask_phone": "keys",
        "STATUS_DATES": "frames",
        "Document": "document",
        "load_document": "document",
        "save_recommendation": "document",
        "check_writable": "campaign",
    },
)
