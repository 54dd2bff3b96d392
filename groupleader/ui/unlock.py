"""The first screens: welcome, create a vault, unlock a vault.

Key derivation (SQLCipher's 256,000 PBKDF2 rounds) runs on Qt's thread pool with a busy
indicator, so the window never freezes. The data layer (SQLAlchemy, Alembic) is imported
only when a vault is opened or created, off the UI thread, which keeps the program's start
as quick as a bare Qt window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.errors import (
    GroupLeaderError,
    InvalidInput,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultMissing,
    VaultTooNew,
    WrongPassphrase,
)
from groupleader.ui import preload
from groupleader.ui.runner import run_in_background
from groupleader.ui.widgets import (
    ErrorBanner,
    FieldError,
    PassphraseEdit,
    StrengthMeter,
    heading_font,
    reserved,
    show_suggestion,
)

if TYPE_CHECKING:
    from groupleader.data.vault import Vault
    from groupleader.ui.settings import Settings

VAULT_FILTER = "Group Leader vaults (*.vault);;All files (*)"


def default_vault_path() -> Path:
    """The default vault file (platformdirs is imported only when this is first needed)."""
    from groupleader.paths import default_vault_path as default

    return default()

# TEST ONLY. Tests set this to lower SQLCipher's key derivation (see tests/conftest.py).
# Production code never sets it: every vault the program opens uses SQLCipher's default.
TEST_ONLY_KDF_ITER: int | None = None


def _kdf_kwargs() -> dict[str, Any]:
    return {} if TEST_ONLY_KDF_ITER is None else {"test_kdf_iter": TEST_ONLY_KDF_ITER}


def open_vault(path: Path | str, passphrase: str) -> Vault:
    """Open a vault (runs the key derivation; call it off the UI thread). Its pages are
    checked behind the first view: the window waits for `Vault.page_check` afterwards."""
    preload.settle()  # the imports begun while the passphrase was typed
    from groupleader.data.vault import Vault

    return Vault.open(path, passphrase, check_pages_later=True, **_kdf_kwargs())


def create_vault(path: Path | str, passphrase: str) -> Vault:
    """Create a vault where `check_new_location` allows it (the data folder made 0700)."""
    preload.settle()
    from groupleader.data.outputs import make_private_folder
    from groupleader.data.vault import Vault

    path = check_new_location(path)
    if not path.parent.exists():  # only ever the program's own data folder
        make_private_folder(path.parent)
    return Vault.create(path, passphrase, **_kdf_kwargs())


def check_new_location(path: Path | str) -> Path:
    """Where a new vault may go: a new name in an existing folder, or in the program's
    own data folder (made when missing). Raises a GroupLeaderError that says why not."""
    preload.settle()
    from groupleader.data.outputs import Kind, check_destination, path_text_ok

    if path_text_ok(str(path)):
        target = Path(path).expanduser().absolute()
        if target.parent == default_vault_path().parent.absolute() and \
                not target.parent.exists():
            if target.exists():
                raise VaultExists()
            return target
    return check_destination(path, Kind.VAULT)


def damaged_message(err: VaultDamaged, settings: Settings) -> str:
    """A damaged vault's message with the newest backup to restore (Settings' folder, the
    default backup folder and the vault's own folder are searched)."""
    if err.path is None:
        return err.message
    preload.settle()
    from groupleader.data.backups import restore_advice
    from groupleader.paths import default_backup_dir

    folders = [Path(settings.backup_folder), default_backup_dir(), err.path.parent]
    return err.with_advice(restore_advice(err.path, folders))


def _column(page: QWidget, width: int = 560) -> QVBoxLayout:
    """A centred column of at most `width` pixels; returns the layout to fill."""
    outer = QHBoxLayout(page)
    outer.addStretch(1)
    inner = QWidget(page)
    inner.setMaximumWidth(width)
    inner.setMinimumWidth(min(width, 380))
    outer.addWidget(inner, 4)
    outer.addStretch(1)
    column = QVBoxLayout(inner)
    column.addStretch(1)
    return column


def _float_below(banner: ErrorBanner, buttons: QHBoxLayout, column: QVBoxLayout) -> None:
    """The page's banner floats in the empty space under its buttons: a message that
    comes or goes (a wrong passphrase) moves no control under the pointer."""
    from groupleader.ui.overlay import Floating, below

    host = column.parentWidget()
    assert host is not None
    Floating(banner, host, below(buttons, column))


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(heading_font(parent.font(), 1.6))
    label.setWordWrap(True)
    return label


def _paragraph(text: str, parent: QWidget) -> QLabel:
    """A wrapped label for the program's own (static) text; user text goes in banners."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class BusyRow(QWidget):
    """An indeterminate bar and a line saying what is happening."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName("Working")
        layout.addWidget(self.bar)
        self.label = QLabel(self)
        self.label.setAccessibleName("Progress")
        layout.addWidget(self.label)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # its space is kept: the buttons stay put
        self.setSizePolicy(policy)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()


# ---------------------------------------------------------------------- welcome


class WelcomePage(QWidget):
    """First start: create a new vault, open an existing one, or look at the demo."""

    create_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        column = _column(self)
        column.addWidget(_heading("Welcome to Group Leader", self))
        column.addWidget(
            _paragraph(
                "Group Leader keeps your group's roster, seating and session notes in one "
                "encrypted file on this computer. Nothing is sent anywhere.",
                self,
            )
        )
        column.addSpacing(12)
        self.create_button = QPushButton("Create a new vault…", self)
        self.create_button.setAccessibleName("Create a new vault")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_requested)
        column.addWidget(self.create_button)
        self.open_button = QPushButton("Open an existing vault…", self)
        self.open_button.setAccessibleName("Open an existing vault")
        self.open_button.clicked.connect(self.open_requested)
        column.addWidget(self.open_button)
        self.demo_button = QPushButton("Look around in a demo vault", self)
        self.demo_button.setAccessibleName("Open a demo vault of invented data")
        self.demo_button.setFlat(True)
        self.demo_button.clicked.connect(self.demo_requested)
        column.addWidget(self.demo_button)
        column.addStretch(2)


# ---------------------------------------------------------------------- create


class CreateVaultPage(QWidget):
    """A new vault: where, and a passphrase typed twice, with the plain warning."""

    vault_ready = Signal(object)  # Vault
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Create a new vault")
        column = _column(self)
        column.addWidget(_heading("Create a new vault", self))
        self.banner = ErrorBanner(self)  # floats below the buttons (see below)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        location_row = QHBoxLayout()
        self.location = QLineEdit(str(default_vault_path()), self)
        self.location.setAccessibleName("Vault file")
        self.location.setToolTip("Where the encrypted vault file will be kept")
        location_row.addWidget(self.location, 1)
        self.browse = QPushButton("Choose…", self)
        self.browse.setAccessibleName("Choose where to save the vault")
        self.browse.clicked.connect(self._choose_location)
        location_row.addWidget(self.browse)
        form.addRow("&File:", location_row)
        self.location_error = FieldError(self)
        form.addRow("", self.location_error)
        self.default_button = QPushButton("Use the default location", self)
        self.default_button.setAccessibleName("Use the default location")
        self.default_button.setFlat(True)
        self.default_button.clicked.connect(
            lambda: self.location.setText(str(default_vault_path()))
        )
        form.addRow("", self.default_button)

        self.passphrase = PassphraseEdit("Passphrase", self)
        form.addRow("&Passphrase:", self.passphrase)
        self.meter = StrengthMeter(self)
        form.addRow("", self.meter)
        # the errors under the passphrases keep their room (two lines, one): one that
        # comes and goes as they are typed never moves Repeat or Create under the pointer
        self.passphrase_error = FieldError(self)
        form.addRow("", reserved(self.passphrase_error, 2))
        self.repeat = PassphraseEdit("Repeat the passphrase", self)
        form.addRow("&Repeat:", self.repeat)
        self.repeat_error = FieldError(self)
        form.addRow("", reserved(self.repeat_error, 1))
        self._label_buddies(form)
        column.addLayout(form)

        warning = _paragraph(
            "Keep this passphrase somewhere safe, such as a password manager or a sealed "
            "envelope in a locked drawer. A lost passphrase means lost records: there is no "
            "way to reset it, and nobody (not even the makers of Group Leader) can open the "
            "vault without it.",
            self,
        )
        warning.setAccessibleName("Warning about losing the passphrase")
        warning.setFrameShape(QLabel.Shape.StyledPanel)
        warning.setMargin(8)
        column.addWidget(warning)

        self.busy = BusyRow(self)
        column.addWidget(self.busy)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Back", self)
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.back_requested)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.create_button = QPushButton("Create vault", self)
        self.create_button.setAccessibleName("Create vault")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit)
        buttons.addWidget(self.create_button)
        column.addLayout(buttons)
        column.addStretch(2)
        _float_below(self.banner, buttons, column)

        self.passphrase.textChanged.connect(self.meter.update_for)
        # An error said under a field goes as soon as the typing fixes it.
        self.passphrase.textChanged.connect(self._recheck)
        self.repeat.textChanged.connect(self._recheck)
        self.meter.set_user_inputs(self._user_words)
        self.meter.suggested.connect(self.use_suggestion)
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        QWidget.setTabOrder(self.location, self.browse)
        QWidget.setTabOrder(self.browse, self.passphrase.edit)
        QWidget.setTabOrder(self.passphrase.edit, self.passphrase.toggle)
        QWidget.setTabOrder(self.passphrase.toggle, self.repeat.edit)
        QWidget.setTabOrder(self.repeat.edit, self.repeat.toggle)
        QWidget.setTabOrder(self.repeat.toggle, self.create_button)
        QWidget.setTabOrder(self.create_button, self.back_button)

    def _user_words(self) -> list[str]:
        from groupleader.passphrases import user_words

        return user_words(self.location.text().strip() or None)

    def use_suggestion(self, phrase: str) -> None:
        show_suggestion(phrase, self.passphrase, self.repeat, self.passphrase_error,
                        self.repeat_error)

    @staticmethod
    def _label_buddies(form: QFormLayout) -> None:
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None:
                continue
            label_widget = label.widget()
            if not isinstance(label_widget, QLabel):
                continue
            target = field.widget()
            field_layout = field.layout()
            if target is None and field_layout is not None:
                first = field_layout.itemAt(0)
                target = first.widget() if first is not None else None
            if target is not None:
                label_widget.setBuddy(target.focusProxy() or target)

    def reset(self, location: Path | None = None) -> None:
        self.location.setText(str(location or default_vault_path()))
        self.passphrase.clear()
        self.repeat.clear()
        self._clear_errors()
        self._set_busy(False)

    def _recheck(self, _text: str = "") -> None:
        """Follow the typing once an error is shown: it goes when fixed (a weak passphrase
        made strong, the repeat made equal), else it says what is wrong now."""
        phrase = self.passphrase.text()
        if self.passphrase_error.isVisibleTo(self):
            from groupleader.passphrases import problem_with_new

            problem = problem_with_new(phrase, self._user_words())
            if problem is None:
                self.passphrase_error.clear_message()
            else:
                self.passphrase_error.show_message(problem)
        if self.repeat_error.isVisibleTo(self) and phrase == self.repeat.text():
            self.repeat_error.clear_message()

    def _clear_errors(self) -> None:
        self.banner.clear_message()
        for err in (self.location_error, self.passphrase_error, self.repeat_error):
            err.clear_message()

    def _choose_location(self) -> None:
        from groupleader.ui import file_dialogs

        typed = Path(self.location.text().strip() or default_vault_path())
        # Starts where the location field points (the program's data folder by default).
        name = file_dialogs.save_file(self, None, file_dialogs.VAULT,
                                      "Where to keep the new vault", typed.name, VAULT_FILTER,
                                      typed.parent)
        if name:
            if not Path(name).suffix:
                name += ".vault"
            self.location.setText(name)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.location, self.browse, self.default_button, self.passphrase,
                  self.repeat, self.create_button, self.back_button):
            w.setEnabled(not busy)
        if busy:
            self.busy.start("Creating the vault and deriving its key…")
        else:
            self.busy.stop()

    def submit(self) -> None:
        self._clear_errors()
        path_text = self.location.text().strip()
        phrase = self.passphrase.text()
        if not path_text:
            self.location_error.show_message("Choose where to keep the vault.")
            self.location.setFocus()
            return
        try:
            path = check_new_location(path_text)
        except VaultExists:
            self.location_error.show_message(VaultExists.default_message)
            self.location.setFocus()
            return
        except GroupLeaderError as err:  # a missing folder, a name too long
            self.location_error.show_message(err.message)
            self.location.setFocus()
            return
        # Said before any work starts (the key derivation takes a while): the vault
        # itself refuses the same passphrases (Vault.create), with the same sentence.
        from groupleader.passphrases import problem_with_new

        problem = problem_with_new(phrase, self._user_words())
        if problem is not None:
            self.passphrase_error.show_message(problem)
            self.passphrase.edit.selectAll()
            self.passphrase.edit.setFocus()
            return
        if phrase != self.repeat.text():
            self.repeat_error.show_message("The two passphrases differ. Type the same one twice.")
            self.repeat.edit.selectAll()
            self.repeat.setFocus()
            return
        self._set_busy(True)
        run_in_background(lambda: create_vault(path, phrase), self._created, self._failed)

    def _created(self, vault: Vault) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.repeat.clear()
        self.vault_ready.emit(vault)

    def _failed(self, err: GroupLeaderError) -> None:
        self._set_busy(False)
        if isinstance(err, InvalidInput) and err.field == "passphrase":
            self.passphrase_error.show_message(err.message)
            self.passphrase.setFocus()
        elif isinstance(err, VaultExists) or (
                isinstance(err, InvalidInput) and err.field == "path"):
            self.location_error.show_message(err.message)
            self.location.setFocus()
        else:
            self.banner.show_message(err.message)


# ---------------------------------------------------------------------- unlock


class UnlockPage(QWidget):
    """The vault's path (recent vaults to choose from) and its passphrase."""

    vault_ready = Signal(object)  # Vault
    opening = Signal()  # the key derivation has begun on a worker
    open_other_requested = Signal()
    restore_requested = Signal()
    create_requested = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._resume: Callable[[str], Vault] | None = None
        self.setAccessibleName("Unlock")
        column = _column(self)
        self.title = _heading("Unlock your vault", self)
        column.addWidget(self.title)
        column.addWidget(
            _paragraph("Enter the passphrase of the vault to see your groups.", self)
        )
        self.banner = ErrorBanner(self)  # floats below the buttons (see below)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        path_row = QHBoxLayout()
        self.vault_combo = QComboBox(self)
        self.vault_combo.setAccessibleName("Vault file")
        self.vault_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.vault_combo.setMinimumContentsLength(24)  # filled by set_path/refresh_recent
        path_row.addWidget(self.vault_combo, 1)
        self.other_button = QPushButton("Other file…", self)
        self.other_button.setAccessibleName("Open another vault file")
        self.other_button.clicked.connect(self.open_other_requested)
        path_row.addWidget(self.other_button)
        vault_label = QLabel("&Vault:", self)
        vault_label.setBuddy(self.vault_combo)
        form.addRow(vault_label, path_row)
        self.passphrase = PassphraseEdit("Passphrase", self)
        pass_label = QLabel("&Passphrase:", self)
        pass_label.setBuddy(self.passphrase.edit)
        form.addRow(pass_label, self.passphrase)
        column.addLayout(form)

        self.busy = BusyRow(self)
        column.addWidget(self.busy)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New vault…", self)
        self.new_button.setAccessibleName("Create a new vault")
        self.new_button.setFlat(True)
        self.new_button.clicked.connect(self.create_requested)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        self.unlock_button = QPushButton("Unlock", self)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        buttons.addWidget(self.unlock_button)
        column.addLayout(buttons)
        column.addStretch(2)
        _float_below(self.banner, buttons, column)

        self.passphrase.returnPressed.connect(self.submit)
        # The data layer and the views are imported while the passphrase is typed.
        self.passphrase.edit.textEdited.connect(lambda _text: preload.start())
        self.vault_combo.currentIndexChanged.connect(self._on_vault_chosen)
        QWidget.setTabOrder(self.passphrase.edit, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.passphrase.toggle)
        QWidget.setTabOrder(self.passphrase.toggle, self.vault_combo)
        QWidget.setTabOrder(self.vault_combo, self.other_button)
        QWidget.setTabOrder(self.other_button, self.new_button)

    # ------------------------------------------------------------------ vault list
    def refresh_recent(self, preselect: Path | str | None = None) -> None:
        """Fill the list from the recent vaults (paths only), `preselect` first."""
        paths = list(self.settings.recent_vaults)
        if preselect is not None:
            text = str(Path(preselect).expanduser().absolute())
            paths = [text, *[p for p in paths if p != text]]
        elif not paths and default_vault_path().exists():
            paths = [str(default_vault_path())]
        self.vault_combo.blockSignals(True)
        self.vault_combo.clear()
        for p in paths:
            self.vault_combo.addItem(p, p)
        self.vault_combo.blockSignals(False)
        if paths:
            self.vault_combo.setCurrentIndex(0)
        self.vault_combo.setToolTip(self.vault_combo.currentText())

    def _on_vault_chosen(self, _index: int) -> None:
        self.banner.clear_message()
        self.vault_combo.setToolTip(self.vault_combo.currentText())

    def set_path(self, path: Path | str) -> None:
        self.refresh_recent(preselect=path)
        self.banner.clear_message()

    def current_path(self) -> Path | None:
        text = self.vault_combo.currentData()
        return Path(text) if text else None

    def show_info(self, message: str) -> None:
        self.banner.show_message(message, kind="info")

    def set_resume(self, resume: Callable[[str], Vault] | None) -> None:
        """While the window keeps a vault open behind this page (text waiting to be saved),
        Unlock hands the passphrase to `resume`, which returns that vault or raises
        WrongPassphrase, instead of opening the file again; the vault cannot be changed
        here meanwhile (Other file… and New vault… ask the window first)."""
        self._resume = resume
        self.vault_combo.setEnabled(resume is None and not self.is_busy)

    def prepare(self) -> None:
        """Ready for typing: passphrase empty and focused."""
        self.passphrase.clear()
        self._set_busy(False)
        self.passphrase.setFocus()

    # ------------------------------------------------------------------ unlocking
    def _set_busy(self, busy: bool, text: str = "") -> None:
        for w in (self.vault_combo, self.other_button, self.passphrase, self.unlock_button,
                  self.new_button):
            w.setEnabled(not busy)
        self.vault_combo.setEnabled(not busy and self._resume is None)
        if busy:
            self.busy.start(text)
        else:
            self.busy.stop()

    @property
    def is_busy(self) -> bool:
        return self.busy.isVisible() or not self.unlock_button.isEnabled()

    def submit(self) -> None:
        if self.is_busy:
            return
        path = self.current_path()
        phrase = self.passphrase.text()
        if path is None:
            self.banner.show_message(
                "Choose a vault file first.", [("Open a file…", self.open_other_requested.emit)]
            )
            return
        if not phrase:
            self.banner.show_message("Type the vault's passphrase, then press Unlock.")
            self.passphrase.setFocus()
            return
        if self._resume is not None:  # compared in memory: quick, no key derivation
            try:
                vault = self._resume(phrase)
            except GroupLeaderError as err:
                self._failed(err)
                return
            self._opened(vault)
            return
        self.run(lambda: open_vault(path, phrase), "Unlocking… deriving the key takes a moment.")

    def run(self, opener: Callable[[], Vault], busy_text: str) -> None:
        """Open a vault with `opener` off the UI thread (also used for the demo vault)."""
        self.banner.clear_message()
        self._set_busy(True, busy_text)
        run_in_background(opener, self._opened, self._failed)
        self.opening.emit()  # meanwhile the window may build what the unlock will show

    def _opened(self, vault: Vault) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.vault_ready.emit(vault)

    def _failed(self, err: GroupLeaderError) -> None:
        self._set_busy(False)
        other = ("Open another file…", self.open_other_requested.emit)
        restore = ("Restore from a backup…", self.restore_requested.emit)
        create = ("Create a new vault…", self.create_requested.emit)
        if isinstance(err, WrongPassphrase):
            self.banner.show_message(err.message)
            self.passphrase.edit.selectAll()
            self.passphrase.setFocus()
        elif isinstance(err, VaultInUse):
            self.banner.show_message(err.message, [other])
        elif isinstance(err, VaultDamaged):
            self.banner.show_message(damaged_message(err, self.settings), [other, restore])
        elif isinstance(err, VaultTooNew):
            self.banner.show_message(err.message, [other, restore])
        elif isinstance(err, VaultMissing):
            self.banner.show_message(err.message, [other, create])
        else:
            self.banner.show_message(err.message, [other])


# ---------------------------------------------------------------------- helpers


def default_vault_exists() -> bool:
    return default_vault_path().exists()


def next_free_default() -> Path:
    """The default folder with a name not yet taken (the default file already exists)."""
    base = default_vault_path()
    n = 2
    while (candidate := base.with_name(f"{base.stem}-{n}{base.suffix}")).exists():
        n += 1
    return candidate


def build_and_open_demo(path: Path, passphrase: str) -> Vault:
    """Runs off the UI thread: make the demo vault of invented data, then open it."""
    preload.settle()
    from groupleader.data.demo import build_demo_vault

    build_demo_vault(path, passphrase, **_kdf_kwargs())
    return open_vault(path, passphrase)
