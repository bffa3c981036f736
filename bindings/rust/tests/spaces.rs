// SPDX-License-Identifier: MIT
//! Spaces through libcgym without a service: every kind of `Space` in an action space and an
//! observation space, to compiler_gym.ActionSpace / ObservationSpace protobuf bytes and back.
mod common;

use std::collections::BTreeMap;

use cgym::sys::*;
use cgym::{ActionSpace, Code, Event, ObservationSpace, Space, Tensor};
use common::*;

fn every_space() -> Vec<Space> {
    let mut dict = BTreeMap::new();
    dict.insert("n".to_string(), Space::Discrete { n: 3 });
    dict.insert(
        "s".to_string(),
        Space::String {
            min_length: 1,
            max_length: Some(8),
        },
    );
    vec![
        Space::Discrete { n: 7 },
        Space::NamedDiscrete {
            names: vec!["a".into(), "b".into(), "c".into()],
        },
        Space::Range {
            kind: CGYM_SPACE_INT64_RANGE,
            min: Some(-4.0),
            max: Some(4.0),
        },
        Space::Range {
            kind: CGYM_SPACE_DOUBLE_RANGE,
            min: Some(0.0),
            max: None,
        },
        Space::Range {
            kind: CGYM_SPACE_FLOAT_RANGE,
            min: None,
            max: Some(1.5),
        },
        Space::String {
            min_length: 0,
            max_length: None,
        },
        Space::Box {
            kind: CGYM_SPACE_INT64_BOX,
            shape: vec![2, 2],
            low: vec![-1.0, -2.0, -3.0, -4.0],
            high: vec![1.0, 2.0, 3.0, 4.0],
        },
        Space::Box {
            kind: CGYM_SPACE_DOUBLE_BOX,
            shape: vec![3],
            low: vec![0.0; 3],
            high: vec![0.5; 3],
        },
        Space::Sequence {
            kind: CGYM_SPACE_INT64_SEQUENCE,
            min_length: 0,
            max_length: Some(10),
            scalar_min: Some(0.0),
            scalar_max: Some(100.0),
        },
        Space::Sequence {
            kind: CGYM_SPACE_STRING_SEQUENCE,
            min_length: 1,
            max_length: None,
            scalar_min: None,
            scalar_max: None,
        },
        Space::SpaceSequence {
            min_length: 0,
            max_length: Some(2),
            element: Box::new(Space::Discrete { n: 2 }),
        },
        Space::List(vec![Space::Discrete { n: 2 }, Space::Discrete { n: 3 }]),
        Space::Union(vec![
            Space::Discrete { n: 2 },
            Space::String {
                min_length: 0,
                max_length: None,
            },
        ]),
        Space::Dict(dict),
    ]
}

#[test]
fn action_spaces_round_trip_through_bytes() {
    for space in every_space() {
        let action_space = ActionSpace::new("act", space);
        let bytes = action_space.to_bytes().unwrap();
        assert!(!bytes.is_empty());
        assert_eq!(
            ActionSpace::from_bytes(&bytes).unwrap(),
            action_space,
            "{action_space:?}"
        );
    }
}

#[test]
fn observation_spaces_round_trip_through_bytes() {
    for (index, space) in every_space().into_iter().enumerate() {
        let mut observation_space = ObservationSpace::new(format!("obs{index}"), space);
        // Alternate the flags and the default observation.
        observation_space.deterministic = index % 2 == 0;
        observation_space.platform_dependent = index % 3 == 0;
        if index % 2 == 1 {
            observation_space.default_observation =
                Event::Int64Tensor(Tensor::new(vec![2], vec![index as i64, -1]));
        }
        let bytes = observation_space.to_bytes().unwrap();
        assert_eq!(
            ObservationSpace::from_bytes(&bytes).unwrap(),
            observation_space,
            "{observation_space:?}"
        );
    }
}

#[test]
fn malformed_and_unbuildable_spaces_are_rejected() {
    expect_code(
        ActionSpace::from_bytes(&[0xff, 0xff, 0xff]),
        Code::INVALID_ARGUMENT,
    );
    expect_code(
        ObservationSpace::from_bytes(&[0xff, 0xff, 0xff]),
        Code::INVALID_ARGUMENT,
    );
    // Bytes of another message kind that happen to parse are not checked here; empty bytes
    // are an empty message: a nameless space of kind NONE.
    let empty = ActionSpace::from_bytes(&[]).unwrap();
    assert_eq!(empty.name, "");
    assert_eq!(empty.space.kind(), CGYM_SPACE_NONE);
    // A box whose bounds do not match its shape.
    let bad_box = ActionSpace::new(
        "bad",
        Space::Box {
            kind: CGYM_SPACE_INT64_BOX,
            shape: vec![3],
            low: vec![0.0; 2],
            high: vec![1.0; 2],
        },
    );
    expect_code(bad_box.to_bytes(), Code::INVALID_ARGUMENT);
    // A name that cannot cross as a C string.
    expect_code(
        ActionSpace::new("a\0b", Space::Discrete { n: 1 }).to_bytes(),
        Code::INVALID_ARGUMENT,
    );
    // A kind this binding only reads cannot be built.
    expect_code(
        ObservationSpace::new(
            "any",
            Space::Other {
                kind: CGYM_SPACE_ANY,
            },
        )
        .to_bytes(),
        Code::UNIMPLEMENTED,
    );
}
