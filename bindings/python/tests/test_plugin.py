# SPDX-License-Identifier: MIT
"""Session plugins: the C example session loaded from libcgym-example-plugin.so with
cgym.runtime.register_plugin and driven in this process, and the errors of a bad plugin as
Python exceptions. (Every test of the "endpoint" fixture also runs against the plugin.)"""

import numpy as np
import pytest

import cgym
from conftest import example_plugin

FOO = "benchmark://example-compiler-v0/foo"


def test_register_plugin_runs_an_episode():
    endpoint = cgym.runtime.register_plugin("py-plugin-episode", example_plugin())
    assert endpoint == "inproc:py-plugin-episode"
    try:
        with cgym.CompilerEnv(endpoint, benchmark=FOO, observation_space="ir") as env:
            assert env.compiler_version == "1.0.0"
            assert env.reset() == "Hello, world!"
            observation, _, done, info = env.step(env.action_space["b"])
            assert observation == "Hello, world!"
            assert not done and not info["action_had_no_effect"]
            np.testing.assert_array_equal(env.observation["features"], [0, 0, 0])
            assert env.observation["runtime"] == 0.0
            assert env.episode_actions() == [1]
    finally:
        cgym.runtime.unregister_in_process("py-plugin-episode")
    with pytest.raises(FileNotFoundError):
        cgym.CompilerEnv(endpoint, benchmark=FOO)


def test_register_plugin_twice_takes_a_str_or_a_path():
    first = cgym.runtime.register_plugin("py-plugin-twice", str(example_plugin()))
    second = cgym.runtime.register_plugin("py-plugin-twice", example_plugin())
    assert first == second
    try:
        with cgym.CompilerEnv(second, benchmark=FOO) as env:
            env.reset()
            _, _, done, _ = env.step(0)
            assert not done
    finally:
        cgym.runtime.unregister_in_process("py-plugin-twice")


def test_missing_plugin_is_file_not_found(tmp_path):
    missing = tmp_path / "libno-such-plugin.so"
    with pytest.raises(FileNotFoundError, match="No session plugin at") as caught:
        cgym.runtime.register_plugin("py-plugin-missing", missing)
    assert caught.value.code == cgym.errors.NOT_FOUND
    assert str(missing) in str(caught.value)


def test_a_file_that_is_not_a_plugin_is_a_service_init_error(tmp_path):
    fake = tmp_path / "fake.so"
    fake.write_text("not a shared library\n")
    with pytest.raises(cgym.ServiceInitError, match="Cannot load the session plugin"):
        cgym.runtime.register_plugin("py-plugin-fake", fake)


def test_empty_name_is_a_value_error():
    with pytest.raises(ValueError, match="name must not be empty"):
        cgym.runtime.register_plugin("", example_plugin())
