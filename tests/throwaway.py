"""Servers a fault test may stop: its own redis-server and PostgreSQL cluster on free ports, and
Celery worker processes on them. The shared servers of the machine are never touched."""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds=30, every=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


class RedisServer:
    """`redis-server` on a free port, without persistence: stopping it loses every message."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, 10), "the throwaway redis-server did not start"

    def _answers(self):
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
        return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class PostgresCluster:
    """A PostgreSQL cluster of its own (initdb, pg_ctl) in a temporary folder, on a free port."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bin = Path(found[-1]).parent if found else None
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="vanlang-pg-"))
        self.data = self.folder / "data"
        self.user = None

    def available(self) -> bool:
        return self.bin is not None

    def _run(self, *command):
        command = [str(part) for part in command]
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
            self.user = self.user or pwd.getpwnam("postgres")
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True)

    def init(self):
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth", "trust", "-E", "UTF8")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.folder / "log", "-w", "start")

    def restart(self):
        # With its log to a file: the server must not inherit (and hold open) our output pipes.
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-m", "fast", "-w", "restart")

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, name="postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def database_url(settings_dict) -> str:
    """The URL of the test database this process uses, for another process to open."""
    db = settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(app, *, env: dict, queue_name: str = "", pool: str = "solo") -> subprocess.Popen:
    """`celery -A vanlang worker` in a process of its own, answering a ping before this returns."""
    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    command = [sys.executable, "-m", "celery", "-A", "vanlang", "worker", "--pool", pool, "--loglevel", "INFO"]
    command += ["-n", node, "--without-mingle", "--without-gossip"]
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vanlang.settings", "DATABASE_CONN_MAX_AGE": "0", **env}
    worker = subprocess.Popen(
        command,
        env=full_env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[node], timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise RuntimeError(f"the Celery worker did not start:\n{worker.communicate()[0]}")
    return worker


def start_beat(*, env: dict, schedule_dir) -> subprocess.Popen:
    """`celery -A vanlang beat` on the database schedule (django-celery-beat), as in production."""
    command = [sys.executable, "-m", "celery", "-A", "vanlang", "beat", "--loglevel", "INFO"]
    command += ["--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "-s", str(schedule_dir / "beat")]
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vanlang.settings", "DATABASE_CONN_MAX_AGE": "0", **env}
    return subprocess.Popen(
        command,
        env=full_env,
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> str:
    """Stop a worker (SIGKILL to its whole process group when `kill`: a crash) and return its output."""
    if worker.poll() is None:
        if kill:
            os.killpg(worker.pid, signal.SIGKILL)
        else:
            worker.terminate()
    try:
        return worker.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        return worker.communicate()[0]


@contextlib.contextmanager
def app_on_broker(app, url: str):
    """Point this process's Celery app at another broker (and back), dropping pooled connections.

    Celery reads CELERY_BROKER_URL from the environment before its configuration: both change.
    """
    previous = app.conf.broker_url
    previous_env = os.environ.get("CELERY_BROKER_URL")

    def reset(to):
        os.environ["CELERY_BROKER_URL"] = to
        app.conf.broker_url = to
        app._pool = None
        with contextlib.suppress(KeyError):
            app.__dict__["amqp"]._producer_pool = None

    reset(url)
    try:
        yield
    finally:
        reset(previous)
        if previous_env is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = previous_env


class SmtpServer:
    """A small SMTP server on a free port: it accepts mail, except for the addresses in `refused`,
    which it answers 550 at RCPT TO, as a mail server answers a mailbox it will not take.

    `delivered` lists (recipient, subject) of every message accepted. Used as Django's SMTP
    backend (`settings()` gives the settings, `env()` the environment of a worker process)."""

    def __init__(self, refused=()):
        import threading

        self.port = free_port()
        self.refused = set(refused)
        self.delivered: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server = None

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
        }

    def env(self) -> dict:
        return {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(self.port),
        }

    def received(self, address: str) -> list[str]:
        with self._lock:
            return [subject for to, subject in self.delivered if to == address]

    def start(self):
        import socketserver
        import threading

        owner = self

        class Conversation(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 throwaway ESMTP")
                recipients = []
                for raw in self.rfile:
                    command = raw.decode("ascii", "replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 throwaway")
                    elif verb in ("MAIL", "RSET"):
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = command.split(":", 1)[1].strip().split()[0].strip("<>")
                        if address in owner.refused:
                            self.reply(f"550 5.1.1 <{address}>: mailbox unavailable")
                        else:
                            recipients.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        self._receive(recipients)
                        self.reply("250 OK queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("250 OK" if verb == "NOOP" else "502 not implemented")

            def _receive(self, recipients):
                import email
                import email.policy

                lines = []
                for raw in self.rfile:
                    if raw in (b".\r\n", b".\n"):
                        break
                    lines.append(raw[1:] if raw.startswith(b"..") else raw)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                with owner._lock:
                    owner.delivered += [(to, str(message["subject"])) for to in recipients]

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Conversation)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
