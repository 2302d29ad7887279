"""The agent's log as run_agent wires it (the TypeScript SDK's agent-logs.ts): the ring buffer, agent.log and its
logging.Handler, the opt-in capture of the root logger and of stdio, the live tail, and the last lines that go with
an error report."""
from .agent_log import AgentLogger, echo_line, line_text
from .console_capture import install_capture
from .constants import CRASH_LOG_MAX_BYTES, CRASH_LOG_MAX_LINES
from .log_buffer import LogBuffer
from .log_tail import LogTail


class AgentLogs:
    def __init__(self, options, secrets, instance_id, publish, log):
        """options: LogOptions; secrets: the worker's own token and keys (hidden in every line); publish(batch):
        publish_agent_logs; log: the SDK's own diagnostics."""
        self._crash_lines = max(0, min(options.crash_lines, CRASH_LOG_MAX_LINES))
        self.buffer = LogBuffer(options.max_lines, options.max_bytes)
        self._tail = LogTail(self.buffer, publish, instance_id, log) if options.live else None
        self._logger = AgentLogger(
            self.buffer, redact=options.redact, secrets=secrets, echo=echo_line if options.echo else None,
            on_line=lambda line: self._tail and self._tail.line_added(), warn=log,
        )
        self.log = self._logger.log
        capture = options.capture_root_logger or options.loggers or options.capture_stdio
        self._uninstall = install_capture(
            self._logger.handler(), root_logger=options.capture_root_logger, loggers=tuple(options.loggers),
            stdio=options.capture_stdio, capture=self._logger.capture,
        ) if capture else None

    def error_info(self):
        """The last lines, for an error report (None: none, or crash context turned off)."""
        if self._crash_lines == 0:
            return None
        lines = self.buffer.newest(self._crash_lines, CRASH_LOG_MAX_BYTES)
        if not lines:
            return None
        return {"log_lines": [{key: value for key, value in line.items() if key != "seq"} for line in lines]}

    def log_crash(self, error):
        """The work crashed: its traceback becomes the last line (not printed: the SDK says it already)."""
        self._logger.capture("error", "work crashed: " + line_text(error))

    def watched(self, seconds, backlog_request=None):
        if self._tail is not None:
            self._tail.watched(seconds, backlog_request)

    def close(self):
        if self._tail is not None:
            self._tail.stop()
        uninstall, self._uninstall = self._uninstall, None
        if uninstall is not None:
            uninstall()
