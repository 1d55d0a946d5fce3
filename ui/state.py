"""The window's single source of truth: what is open, what the user chose, what it gives.

``AppState`` holds the imported list, the current ``core.marketing.Inputs`` (scheme,
catalog, per-band picks, offer options) and the latest ``Analysis``. Pages read it and
observe its signals; they never call each other. Every change goes through a setter
(undo commands in ui.commands call the same setters), and each change asks for one
recompute of bands → offers:

- a list of up to ``ASYNC_ROWS`` customers is recomputed at once (tens of milliseconds),
  so every page is up to date when the edit returns;
- bigger lists: changes in one event-loop turn are merged into one recompute, which runs
  on a worker thread, so the window
  never freezes; while one runs, further edits wait and only the latest is computed
  next ("the latest change wins"); a result overtaken by an edit is dropped.

The open document is either a list alone (``set_result``) or a campaign
(``open_document``): then the list, the choices and the offers are what the campaign
holds — shown as recorded, not recomputed — and every edit is saved back into it
(``ui.autosave``); ``saved_inputs`` are the inputs the file holds now.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.workers import TaskManager, Worker

if TYPE_CHECKING:
    from core.importing import ImportResult
    from core.marketing import Analysis, BandScheme, Catalog, Inputs, OfferOptions, Rule

log = logging.getLogger(__name__)

ASYNC_ROWS = 20_000  # below this a recompute takes a few tens of ms: do it right away


Preparer = Callable[["Analysis"], Any]


def _analyse_job(inputs: Inputs, preparers: dict[str, Preparer], recorded: Any,
                 progress: Any) -> Analysis:  # fmt: skip
    """The analysis (of the offers a campaign ``recorded`` — (offers, rules) — when given),
    then each page's display data for it (same thread: off the GUI one)."""
    from core.marketing import analyse, recorded_analysis

    if recorded is not None:
        analysis = recorded_analysis(inputs, *recorded)
    else:
        analysis = analyse(inputs, progress)
    for key, prepare in preparers.items():
        if progress is not None:
            progress.check()
        try:
            analysis.views[key] = prepare(analysis)
        except Exception:
            log.exception("准备显示数据失败：%s", key)
    return analysis


class AppState(QObject):
    listChanged = Signal()  # a new list was imported (or closed)
    inputsChanged = Signal()  # scheme, catalog, picks or options changed (before recompute)
    analysisStarted = Signal()
    analysisReady = Signal(object)  # Analysis — every page refreshes from it
    analysisFailed = Signal(object)  # the exception (UserError: .message/.hint)
    bandFilterChanged = Signal(str)  # the customer list shows this band ("" = all)
    selectionChanged = Signal()  # the customers selected in the list (for 建议书 …)
    campaignChanged = Signal()  # a campaign was opened, created or closed
    visitsChanged = Signal()  # visits were saved or imported into the open campaign
    settingsChanged = Signal()  # the settings that sign the letters changed

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.result: ImportResult | None = None
        self._inputs: Inputs | None = None
        self.analysis: Analysis | None = None
        self.band_filter = ""
        self.selected_rows: list[int] = []  # positions in the customers frame
        self.campaign: Any = None  # core.campaign.Campaign, used on the GUI thread
        self.letter_settings: Any = None  # the open campaign's signing settings (core.base)
        self._campaign_frame: tuple[Any, Any] = (None, None)  # (campaign, its customers frame)
        self.saved_inputs: Inputs | None = None  # what the open campaign holds
        self.dirty = False  # a list alone was changed (scheme, packages …) and is not saved
        self._recorded: Any = None  # (offers, rules) to show instead of recomputing
        self.generation = 0  # bumped by every change; a result of an older one is dropped
        self._running: Worker | None = None
        self._pending = False
        self.preparers: dict[str, Preparer] = {}
        self.list_views: dict[str, Any] = {}  # display data prepared with the import
        self._background = False  # the next recompute runs on the worker whatever the size
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._recompute)

    # --- reading ----------------------------------------------------------------------------
    @property
    def inputs(self) -> Inputs:
        if self._inputs is None:
            from core.base import load_settings
            from core.marketing import Inputs, OfferOptions

            # the recommendation settings (overage rates, seed criteria) start the options
            options = OfferOptions().with_settings(load_settings())
            self._inputs = Inputs(today=dt.date.today(), options=options)
        return self._inputs

    @property
    def scheme(self) -> BandScheme:
        return self.inputs.scheme

    @property
    def catalog(self) -> Catalog:
        return self.inputs.catalog

    @property
    def choices(self) -> dict[str, Rule]:
        return self.inputs.choices

    @property
    def options(self) -> OfferOptions:
        return self.inputs.options

    @property
    def has_list(self) -> bool:
        return self.result is not None

    def signing_settings(self) -> Any:
        """Who signs the letters: the open campaign's settings, else the user's own."""
        from core.base import load_settings

        return self.letter_settings if self.letter_settings is not None else load_settings()

    @property
    def busy(self) -> bool:
        """True while a recompute is queued or running."""
        return self._running is not None or self._timer.isActive() or self._pending

    # --- changing ---------------------------------------------------------------------------
    def add_preparer(self, key: str, prepare: Preparer) -> None:
        """``prepare(analysis)`` runs with every recompute (on the worker thread for big
        lists); its value is ``analysis.views[key]``. Pages use it to build table columns
        and chart figures without blocking the window. It must not touch widgets."""
        self.preparers[key] = prepare

    def set_result(self, result: ImportResult | None, views: dict[str, Any] | None = None) -> None:
        """A new list alone (``views``: display data prepared by the import job, if any);
        an open campaign is closed (everything in it is saved already)."""
        if self.campaign is not None:
            self.set_campaign(None)
        self.letter_settings = self.saved_inputs = self._recorded = None
        customers = None if result is None else result.customers
        self._show_list(result, views, self.inputs.replace(customers=customers), background=True)

    def open_document(self, doc: Any, campaign: Any, views: dict[str, Any] | None = None) -> None:
        """A campaign as the document (``doc``: core.campaign.Document): its list, its
        choices and its offers exactly as recorded; edits are then saved back into it."""
        views = dict(views or {})
        self._campaign_frame = (campaign, views.pop("campaign_frame", None))
        self.set_campaign(campaign)
        self.letter_settings = doc.settings
        self.saved_inputs = doc.inputs
        self._recorded = (doc.offers, doc.rules)
        self._show_list(doc.result, views, doc.inputs, background=True)

    def take_campaign_frame(self, campaign: Any) -> Any:
        """The customers frame read with ``campaign`` on the opening worker (once; None
        afterwards or for another campaign): the 走访 page's first table without a pause."""
        owner, frame = self._campaign_frame
        self._campaign_frame = (None, None)
        return frame if owner is campaign else None

    def close_document(self) -> None:
        """Close the campaign or list (a campaign is saved already)."""
        self.set_result(None)

    def _show_list(self, result: ImportResult | None, views: dict[str, Any] | None,
                   inputs: Inputs, background: bool = False) -> None:  # fmt: skip
        self.result = result
        self.list_views = dict(views or {})
        self.analysis = None
        self.band_filter = ""
        self.selected_rows = []
        self.dirty = False
        self._inputs = inputs
        self.listChanged.emit()
        self.bandFilterChanged.emit("")
        self._changed(background)

    def set_scheme(self, scheme: BandScheme) -> None:
        self._set(scheme=scheme)

    def set_catalog(self, catalog: Catalog) -> None:
        self._set(catalog=catalog)

    def set_choice(self, band: str, rule: Rule | None) -> None:
        choices = dict(self.choices)
        if rule is None:
            choices.pop(band, None)
        else:
            choices[band] = rule
        self._set(choices=choices)

    def set_options(self, options: OfferOptions) -> None:
        self._set(options=options)

    def apply_settings(self, settings: Any) -> None:
        """The 设置 dialog saved ``settings`` (core.base.Settings): offers follow its rates,
        seed criteria and offer lines (one recompute, like any edit)."""
        if settings is None:
            return
        if self.campaign is not None:
            self.letter_settings = settings  # saved into the campaign with its offers
        options = self.options.with_settings(settings)
        if options != self.options:
            self.set_options(options)
        self.settingsChanged.emit()

    def set_campaign(self, campaign: Any) -> None:
        """Make ``campaign`` the open one (None closes it); the previous one is closed."""
        if self.campaign is not None and self.campaign is not campaign:
            self.campaign.close()
        self.campaign = campaign
        self.campaignChanged.emit()

    def set_selected_rows(self, rows: list[int]) -> None:
        self.selected_rows = sorted(set(rows))
        self.selectionChanged.emit()

    def set_band_filter(self, band: str) -> None:
        self.band_filter = band
        self.bandFilterChanged.emit(band)

    def _set(self, **changes: Any) -> None:
        self._inputs = self.inputs.replace(**changes)
        self._recorded = None  # an edit: the offers are made anew
        self.dirty = self.campaign is None and self.result is not None
        self._changed()

    def _changed(self, background: bool = False) -> None:
        """``background``: compute on the worker even for a small list (a campaign being
        opened: its pages are filled in this turn already, the offers follow)."""
        self.generation += 1
        self.inputsChanged.emit()
        customers = self.inputs.customers
        if customers is None:
            return
        self._background = background
        if len(customers) <= ASYNC_ROWS and self._running is None and not background:
            self._recompute()  # a few tens of ms: every page is up to date when this returns
        else:
            self._timer.start()  # merged with other changes of this event-loop turn

    # --- recomputing ------------------------------------------------------------------------
    def _recompute(self) -> None:
        inputs = self.inputs
        if inputs.customers is None:
            return
        if self._running is not None:
            self._pending = True  # the latest inputs are computed when this one ends
            return
        self._pending = False
        generation = self.generation
        recorded, self._recorded = self._recorded, None
        self.analysisStarted.emit()
        background, self._background = self._background, False
        if len(inputs.customers) <= ASYNC_ROWS and not background:
            try:
                analysis = _analyse_job(inputs, dict(self.preparers), recorded, None)
            except Exception as exc:
                self._failed(exc, generation)
            else:
                self._publish(analysis, generation)
            return
        worker = Worker(_analyse_job, inputs, dict(self.preparers), recorded)
        self._running = worker

        def ended() -> None:  # not busy any more when the pages hear of the result
            if self._running is worker:
                self._running = None

        worker.signals.finished.connect(lambda a: (ended(), self._publish(a, generation)))
        worker.signals.failed.connect(lambda e: (ended(), self._failed(e, generation)))
        worker.signals.done.connect(lambda: (ended(), self._worker_done()))
        self.tasks.submit(worker)

    def _worker_done(self) -> None:
        if self._pending and self._running is None:
            self._timer.start()

    def _publish(self, analysis: Analysis, generation: int) -> None:
        if generation != self.generation:
            return  # overtaken by a newer edit: its own recompute follows
        self.analysis = analysis
        self.analysisReady.emit(analysis)

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation != self.generation:
            return
        log.info("重新计算失败：%s", error)
        self.analysisFailed.emit(error)
