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
    campaign.results(by="band" | "staff,day" | ["plan", "tag"], date_from=…, date_to=…)
    combined_results([a, b, c], by="branch");  campaign.save_as(path);  campaign.close()

The sweep (issue 22)::

    campaign.assign(["张三", "李四"], by="balanced" | "grid" | "band" | "manager")
    campaign.assignments() → {key: person};  campaign.assigned_counts() → {person: n}
    campaign.set_assignee(keys, "王五")          # the window's 分配给… ("" takes it away)
    campaign.set_targets(Targets(signed=30, staff={"张三": 10}));  campaign.targets()
    campaign.daily_board(day) → Board           # 晨会/夕会: the day per person, the team
    campaign.add_prospects(import_file(物管名单, require_spend=False)) → AddReport
    campaign.add_walk_in("张记五金", "13800000000", visitor="张三", visit=Visit(…))
    campaign.follow_up("第二轮.jzt", intents="有意向,考虑中", due=True) → FollowUpReport
    campaign.history_for(key) → [(round, campaign name, StoredVisit)]

The city database (issue 25)::

    push_file("城东扫场.jzt", "postgresql://jinzita@服务器/jinzita")  → PushReport
    with CityDatabase.open(url) as city: city.entries(); city.results(by="branch")

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
    from core.campaign.assign import AssignReport, assign_customers, staff_names
    from core.campaign.board import Board, PersonDay, daily_board
    from core.campaign.campaign import Campaign, Customer, check_writable
    from core.campaign.city import CityDatabase, CityOverview, city_overview, push_file
    from core.campaign.city_config import (
        ENV_DB,
        DriverMissing,
        city_login,
        city_settings,
        city_target,
        save_city_settings,
    )
    from core.campaign.combined import combined_results
    from core.campaign.document import Document, load_document, save_recommendation
    from core.campaign.filecheck import SUFFIX, is_campaign_file, read_header
    from core.campaign.follow_up import FollowUpReport, intents_of, round_count
    from core.campaign.frames import STATUS_DATES
    from core.campaign.keys import mask_phone
    from core.campaign.letters_log import letter_frame, log_letters, logged_text
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
    from core.campaign.prospects import AddReport
    from core.campaign.results import (
        COMPETITOR,
        STAGES,
        SUGGESTION,
        TOOK,
        FollowUp,
        Funnel,
        Quote,
        Results,
        Targets,
    )
    from core.campaign.values import (
        ASSIGN_HOW,
        ASSIGNEE_COLUMN,
        IDENTIFYING,
        INTENTS,
        MANUAL,
        METHODS,
        OBJECTIONS,
        ORIGIN_COLUMN,
        ORIGINS,
        PAPER_NOTE,
        VISIT_HEADERS,
    )

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "Campaign": "campaign",
        "log_letters": "letters_log",
        "logged_text": "letters_log",
        "letter_frame": "letters_log",
        "Customer": "campaign",
        "combined_results": "combined",
        "MANUAL": "values",
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
        "Targets": "results",
        "Quote": "results",
        "TOOK": "results",
        "COMPETITOR": "results",
        "SUGGESTION": "results",
        "AssignReport": "assign",
        "assign_customers": "assign",
        "staff_names": "assign",
        "Board": "board",
        "PersonDay": "board",
        "daily_board": "board",
        "AddReport": "prospects",
        "FollowUpReport": "follow_up",
        "intents_of": "follow_up",
        "round_count": "follow_up",
        "ORIGINS": "values",
        "ASSIGN_HOW": "values",
        "ASSIGNEE_COLUMN": "values",
        "ORIGIN_COLUMN": "values",
        "PAPER_NOTE": "values",
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
        "CityDatabase": "city",
        "push_file": "city",
        "CityOverview": "city",
        "city_overview": "city",
        "city_login": "city_config",
        "ENV_DB": "city_config",
        "DriverMissing": "city_config",
        "city_settings": "city_config",
        "city_target": "city_config",
        "save_city_settings": "city_config",
    },
)
