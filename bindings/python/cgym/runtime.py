# SPDX-License-Identifier: MIT
"""Sessions written in Python: cgym.CompilationSession, run as a service process
(create_and_run_compiler_gym_service, over cgym_service_run) or registered in this process
(register_in_process, over cgym_service_register, for CompilerEnv("inproc:NAME")), and
session plugins written in C registered in this process (register_plugin, over
cgym_service_register_plugin).

Exceptions raised by a session reach the client as the statuses of CompilerGym's table
(docs/python.md) with str(exception) as the details: ValueError -> INVALID_ARGUMENT,
FileNotFoundError and LookupError -> NOT_FOUND, NotImplementedError -> UNIMPLEMENTED,
TypeError -> FAILED_PRECONDITION, TimeoutError -> DEADLINE_EXCEEDED, anything else ->
INTERNAL. (CompilerGym maps FileNotFoundError to UNIMPLEMENTED, a defect not copied.)
"""

import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

from . import _cgym as C
from . import _convert
from .datasets import Benchmark

logger = logging.getLogger("cgym.runtime")


class ActionSpace:
    """An action space a session declares: a name and a space (cgym.spaces)."""

    def __init__(self, name: str, space):
        self.name = name
        self.space = space

    def __repr__(self):
        return f"ActionSpace({self.name!r}, {self.space!r})"


class ObservationSpace:
    """An observation space a session declares: a name, a space, flags and an optional default
    observation (a Python value)."""

    def __init__(
        self,
        name: str,
        space,
        deterministic: bool = False,
        platform_dependent: bool = False,
        default_observation: Any = None,
    ):
        self.name = name
        self.space = space
        self.deterministic = deterministic
        self.platform_dependent = platform_dependent
        self.default_observation = default_observation

    def __repr__(self):
        return f"ObservationSpace({self.name!r}, {self.space!r})"


class CompilationSession:
    """The base class of sessions written in Python (CompilerGym's CompilationSession).

    Class attributes: compiler_version (str), action_spaces (list of ActionSpace),
    observation_spaces (list of ObservationSpace). The runtime makes one instance per episode
    with keyword arguments working_directory (a Path), action_space (the chosen ActionSpace)
    and benchmark (a cgym.Benchmark: uri, and program bytes or None).

    apply_action(action) gets the action as a Python value (an int for a discrete space) and
    returns (end_of_session, new_action_space_or_None, action_had_no_effect);
    new_action_space is an ActionSpace of the class (or its index). get_observation(space)
    gets the ObservationSpace and returns a Python value: None, bool, int, float, str, bytes (a
    byte tensor), a numpy array (a tensor of its dtype and shape), a list or a dict.
    """

    compiler_version: str = ""
    action_spaces: list[ActionSpace] = []
    observation_spaces: list[ObservationSpace] = []

    def __init__(self, working_directory: Path, action_space: ActionSpace, benchmark: Benchmark):
        self.working_dir = working_directory
        self.action_space = action_space
        self.benchmark = benchmark

    def apply_action(self, action) -> tuple[bool, Optional[ActionSpace], bool]:
        raise NotImplementedError()

    def get_observation(self, observation_space: ObservationSpace):
        raise NotImplementedError()

    def fork(self) -> "CompilationSession":
        raise NotImplementedError("CompilationSession.fork() not supported")

    def handle_session_parameter(self, key: str, value: str) -> Optional[str]:
        return None


class _SessionAdapter:
    """What the C session trampolines call for one session."""

    def __init__(self, factory: "_SessionFactory", session: CompilationSession):
        self.factory = factory
        self.session = session
        self.last_reply = None

    def _log(self, what):
        logger.warning("%s failed", what, exc_info=True)

    def apply_action(self, event):
        try:
            end, new_space, no_effect = self.session.apply_action(_convert.event_to_py(event))
        except Exception:
            self._log("apply_action")
            raise
        index = -1
        if new_space is not None:
            index = (
                new_space
                if isinstance(new_space, int)
                else self.factory.action_space_index(new_space)
            )
        return (bool(end), int(index), bool(no_effect))

    def get_observation(self, index, event):
        try:
            value = self.session.get_observation(self.factory.observation_spaces[index])
        except Exception:
            self._log("get_observation")
            raise
        _convert.fill_event(event, value)

    def fork(self):
        try:
            return _SessionAdapter(self.factory, self.session.fork())
        except NotImplementedError:
            raise
        except Exception:
            self._log("fork")
            raise

    def handle_session_parameter(self, key, value):
        reply = self.session.handle_session_parameter(key, value)
        if reply is None:
            return None
        self.last_reply = str(reply).encode("utf-8")
        return self.last_reply

    def close(self):
        close = getattr(self.session, "close", None)
        if close is not None:
            close()


class _SessionFactory:
    """The service data of a Python service definition."""

    def __init__(self, session_type, working_directory: Path):
        self.session_type = session_type
        self.working_directory = Path(working_directory)
        self.action_spaces = list(session_type.action_spaces)
        self.observation_spaces = list(session_type.observation_spaces)
        self.compiler_version_bytes = str(session_type.compiler_version or "").encode("utf-8")

    def action_space_index(self, space) -> int:
        for i, a in enumerate(self.action_spaces):
            if a is space or a.name == getattr(space, "name", space):
                return i
        raise LookupError(f"Action space not found: {space}")

    def init(self, action_space_name, uri, program):
        space = next(
            (a for a in self.action_spaces if a.name == action_space_name),
            self.action_spaces[0] if self.action_spaces else None,
        )
        try:
            session = self.session_type(
                working_directory=self.working_directory,
                action_space=space,
                benchmark=Benchmark(uri, program),
            )
        except Exception:
            logger.warning("session init failed", exc_info=True)
            raise
        return _SessionAdapter(self, session)


def make_service_def(session_type, working_directory: Optional[Path] = None):
    """A new owned cgym_service_def_t for a CompilationSession subclass."""
    if working_directory is None:
        working_directory = Path(tempfile.mkdtemp(prefix="cgym-session-"))
    factory = _SessionFactory(session_type, working_directory)
    # The definition (and its copies: registrations, running services) owns the factory and
    # releases it when the last of them is gone.
    definition = C.service_def_new_python(factory)
    try:
        for a in factory.action_spaces:
            space = _convert.space_from_py(a.space)
            try:
                handle = C.cgym_action_space_new(a.name, space)
                try:
                    C.cgym_service_def_add_action_space(definition, handle)
                finally:
                    C.cgym_action_space_free(handle)
            finally:
                C.cgym_space_free(space)
        for o in factory.observation_spaces:
            space = _convert.space_from_py(o.space)
            default = None
            try:
                if o.default_observation is not None:
                    default = _convert.new_event(o.default_observation)
                handle = C.cgym_observation_space_new(
                    o.name, space, int(o.deterministic), int(o.platform_dependent), default
                )
                try:
                    C.cgym_service_def_add_observation_space(definition, handle)
                finally:
                    C.cgym_observation_space_free(handle)
            finally:
                C.cgym_space_free(space)
                C.cgym_event_free(default)
    except BaseException:
        C.cgym_service_def_free(definition)
        raise
    return definition


def _working_dir_from_argv(argv: list[str]) -> Optional[Path]:
    for i, arg in enumerate(argv):
        if arg.startswith("--working_dir="):
            return Path(arg.split("=", 1)[1])
        if arg == "--working_dir" and i + 1 < len(argv):
            return Path(argv[i + 1])
    return None


def create_and_run_compiler_gym_service(compilation_session_type, argv: list[str] = None):
    """Runs a service process for a CompilationSession subclass until SIGTERM or SIGINT
    (cgym_service_run: --working_dir, --port, port.txt, pid.txt, CompilerGym's lifecycle),
    then exits the process with the runtime's exit code.

    While the service runs, SIGTERM and SIGINT stop it whichever thread of the process receives
    them: they are forwarded to the service's thread (Python's own handlers only run on the
    main thread, which is inside the service).
    """
    argv = list(sys.argv if argv is None else argv)
    definition = make_service_def(
        compilation_session_type, _working_dir_from_argv(argv) or Path(os.getcwd())
    )
    code = C.service_run(definition, argv, 1)
    # The process ends now, without Python's finalisation (the service's threads are gone).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_compiler_gym_service(compilation_session_type, argv: list[str]) -> int:
    """Runs a service for a CompilationSession subclass in the calling thread, as
    create_and_run_compiler_gym_service does, until stop_services() (or a stop signal that
    reaches the service), and returns its exit code (0: stopped with no session left) instead
    of exiting the process. ``argv`` holds the program name and the service's flags, e.g.
    ``["service", "--working_dir=/tmp/wd"]``. The calling thread keeps SIGTERM and SIGINT
    blocked afterwards (cgym_service_run): run it in a thread of its own."""
    argv = [str(a) for a in argv]
    definition = make_service_def(
        compilation_session_type, _working_dir_from_argv(argv) or Path(os.getcwd())
    )
    try:
        return C.service_run(definition, argv, 0)
    finally:
        C.cgym_service_def_free(definition)


def stop_services() -> None:
    """Asks every service running in this process (run_compiler_gym_service,
    create_and_run_compiler_gym_service) to stop, as SIGTERM does (cgym_service_stop). Callable
    from any thread; a service that starts afterwards is not affected."""
    C.cgym_service_stop()


def register_in_process(
    name: str, compilation_session_type, working_directory: Optional[Path] = None
) -> str:
    """Registers a CompilationSession subclass as the in-process service `name`; returns the
    endpoint "inproc:NAME" for CompilerEnv."""
    definition = make_service_def(compilation_session_type, working_directory)
    try:
        C.cgym_service_register(name, definition)
    finally:
        C.cgym_service_def_free(definition)
    return "inproc:" + name


def register_plugin(name: str, path) -> str:
    """Loads the session plugin at `path` (a shared library built on cgym.h that exports
    cgym_plugin_service_def, such as libcgym-example-plugin.so) and registers its service as
    the in-process service `name`; returns the endpoint "inproc:NAME" for CompilerEnv
    (cgym_service_register_plugin). The library stays loaded until the process exits.

    Raises FileNotFoundError if there is no file at `path`, ServiceInitError if it is not a
    loadable session plugin, ValueError for an empty name or path, and the plugin's own error
    if its entry point fails."""
    C.cgym_service_register_plugin(name, os.fsdecode(path))
    return "inproc:" + name


def unregister_in_process(name: str) -> None:
    C.cgym_service_unregister(name)
