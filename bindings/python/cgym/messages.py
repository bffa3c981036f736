# SPDX-License-Identifier: MIT
"""CompilerGym's protobuf messages as bytes: Event, ActionSpace and ObservationSpace values
serialized and parsed by libcgym (no protobuf package needed), e.g. to store observations or to
exchange spaces with CompilerGym's own Python client."""

from typing import Any

from . import _cgym as C
from . import _convert
from .runtime import ActionSpace, ObservationSpace


def event_to_bytes(value: Any) -> bytes:
    """A Python value (as a session's get_observation returns it) as serialized
    compiler_gym.Event bytes."""
    event = _convert.new_event(value)
    try:
        return C.cgym_event_serialize(event)
    finally:
        C.cgym_event_free(event)


def event_from_bytes(data: bytes) -> Any:
    """The Python value of serialized compiler_gym.Event bytes (ValueError if malformed)."""
    return _convert.owned_event_to_py(C.cgym_event_parse(bytes(data)))


def action_space_to_bytes(space: ActionSpace) -> bytes:
    """An ActionSpace (a name and a cgym.spaces space) as serialized compiler_gym.ActionSpace
    bytes."""
    inner = _convert.space_from_py(space.space)
    try:
        handle = C.cgym_action_space_new(space.name, inner)
    finally:
        C.cgym_space_free(inner)
    try:
        return C.cgym_action_space_serialize(handle)
    finally:
        C.cgym_action_space_free(handle)


def action_space_from_bytes(data: bytes) -> ActionSpace:
    """The ActionSpace of serialized compiler_gym.ActionSpace bytes (ValueError if
    malformed)."""
    handle = C.cgym_action_space_parse(bytes(data))
    try:
        name = C.cgym_action_space_name(handle)
        return ActionSpace(name, _convert.space_to_py(C.cgym_action_space_space(handle), name))
    finally:
        C.cgym_action_space_free(handle)


def observation_space_to_bytes(space: ObservationSpace) -> bytes:
    """An ObservationSpace (name, space, flags, default observation) as serialized
    compiler_gym.ObservationSpace bytes."""
    inner = _convert.space_from_py(space.space)
    default = None
    try:
        if space.default_observation is not None:
            default = _convert.new_event(space.default_observation)
        handle = C.cgym_observation_space_new(
            space.name,
            inner,
            int(bool(space.deterministic)),
            int(bool(space.platform_dependent)),
            default,
        )
    finally:
        C.cgym_space_free(inner)
        C.cgym_event_free(default)
    try:
        return C.cgym_observation_space_serialize(handle)
    finally:
        C.cgym_observation_space_free(handle)


def observation_space_from_bytes(data: bytes) -> ObservationSpace:
    """The ObservationSpace of serialized compiler_gym.ObservationSpace bytes (ValueError if
    malformed)."""
    handle = C.cgym_observation_space_parse(bytes(data))
    try:
        name = C.cgym_observation_space_name(handle)
        return ObservationSpace(
            name,
            _convert.space_to_py(C.cgym_observation_space_space(handle), name),
            deterministic=bool(C.cgym_observation_space_deterministic(handle)),
            platform_dependent=bool(C.cgym_observation_space_platform_dependent(handle)),
            default_observation=_convert.event_to_py(C.cgym_observation_space_default(handle)),
        )
    finally:
        C.cgym_observation_space_free(handle)


__all__ = [
    "action_space_from_bytes",
    "action_space_to_bytes",
    "event_from_bytes",
    "event_to_bytes",
    "observation_space_from_bytes",
    "observation_space_to_bytes",
]
