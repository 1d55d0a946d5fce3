"""One running program per user: a second start hands its file to the first and exits.

The first instance listens on a ``QLocalServer`` (a named pipe on Windows, a socket file
on Linux) whose name comes from the user's data folder, so two users of one machine (or
two test runs, each with its own ``JINZITA_DATA_DIR``) never meet, and only the same user
may connect. A later start connects, sends one line of JSON (``{"open": path or null}``),
waits for ``ok`` and exits; the first instance brings its window forward and opens the
file. Nobody fights over the same settings, logs and output folders.

A program that crashed can leave its socket file behind (Linux): the next start finds
nobody answering, removes it and listens itself.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from core.base import data_dir

log = logging.getLogger(__name__)

CONNECT_MS = 500
REPLY_MS = 5000
ASFW_ANY = -1  # Windows: any process may bring its window to the foreground


class HandOver(enum.Enum):
    NONE_RUNNING = "none"  # start normally
    DONE = "done"  # the running program has the request: exit
    NO_ANSWER = "no-answer"  # one is running but did not answer: tell the user, exit


def server_name(folder: Path | None = None) -> str:
    """The name of the running program's server for this user (their data folder)."""
    folder = folder or data_dir()
    digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"jinzita-{digest}"


def _allow_foreground() -> None:
    """Windows only lets the foreground process raise a window: pass that right on."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)
    except (AttributeError, OSError):  # pragma: no cover - not on Windows
        pass


def hand_over(path: str | None, name: str | None = None) -> HandOver:
    """Give ``path`` (or nothing: just show the window) to a running instance, if any."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_MS):
        return HandOver.NONE_RUNNING
    _allow_foreground()
    if path:
        path = str(Path(path).resolve())  # the other program has its own working folder
    socket.write((json.dumps({"open": path}, ensure_ascii=False) + "\n").encode("utf-8"))
    socket.waitForBytesWritten(REPLY_MS)
    answered = False
    while socket.waitForReadyRead(REPLY_MS):
        if socket.canReadLine():
            answered = bytes(socket.readLine().data()).strip() == b"ok"
            break
    socket.disconnectFromServer()
    return HandOver.DONE if answered else HandOver.NO_ANSWER


class InstanceServer(QObject):
    """Listens for later starts; ``open_requested(path or None)`` on the GUI thread."""

    open_requested = Signal(object)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening; False (logged) if that is impossible: the program still runs."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # left behind by a program that crashed
        if self._server.listen(self.name):
            return True
        log.warning("无法监听 %s：%s", self.name, self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)  # the line may have arrived with the connection

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data()).decode("utf-8", "replace")
        try:
            message = json.loads(line)
        except ValueError:
            message = {}
        path = message.get("open") if isinstance(message, dict) else None
        socket.write(b"ok\n")
        socket.flush()
        self.open_requested.emit(path if isinstance(path, str) and path else None)
