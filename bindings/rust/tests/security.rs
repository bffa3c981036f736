// SPDX-License-Identifier: MIT
//! Services for other hosts: a token (the service's `--token_file`) and TLS (`--tls_cert`,
//! `--tls_key`, `--tls_client_ca`) through `Options::token`, `tls`, `tls_root_certs` and
//! `tls_client_cert`, against the C example service (CGYM_EXAMPLE_SERVICE_C) that each test
//! starts on loopback and stops. Certificates are self-signed, made by the openssl command at
//! test time.
mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cgym::{Code, Env, Error, ErrorKind, Options};
use common::*;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A fresh directory for one test under cargo's temporary directory.
fn test_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("security-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A self-signed certificate for localhost and 127.0.0.1 (usable as its own CA) and its key.
fn make_certificate(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let (cert, key) = (
        dir.join(format!("{name}-cert.pem")),
        dir.join(format!("{name}-key.pem")),
    );
    let output = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", &format!("/CN={name}")])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("the openssl command is needed to make test certificates");
    assert!(
        output.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (cert, key)
}

fn write_token(dir: &Path) -> PathBuf {
    let path = dir.join("token.txt");
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    path
}

/// The C example service with these flags on loopback; killed when dropped.
struct Service {
    child: Child,
    endpoint: String,
}

impl Service {
    fn start(dir: &Path, flags: &[String]) -> Service {
        let working_dir = dir.join("service");
        let mut child = Command::new(c_example_service())
            .arg(format!("--working_dir={}", working_dir.display()))
            .args(flags)
            // A managed launch's variables would override --host and the token.
            .env_remove("CGYM_SERVICE_HOST")
            .env_remove("CGYM_SERVICE_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("starting the C example service");
        // port.txt is written through a rename: once it exists, it is complete.
        let port_file = working_dir.join("port.txt");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !port_file.is_file() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the service exited with {status} before listening");
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the service did not listen within 60 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let port: u16 = std::fs::read_to_string(&port_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        Service {
            child,
            endpoint: format!("localhost:{port}"),
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn flag(name: &str, path: &Path) -> String {
    format!("--{name}={}", path.display())
}

/// A reset and a step with these options.
fn episode(endpoint: &str, options: &Options) -> cgym::Result<()> {
    let mut env = Env::connect(endpoint, &options.clone().benchmark(BENCHMARK))?;
    env.reset()?;
    assert!(!env.step(0)?.done);
    assert_eq!(env.action_count()?, 1);
    env.close()
}

/// Options for connections meant to fail: one attempt of 2 s instead of CompilerGym's 5 of
/// 3 s (a failed TLS handshake is retried until the attempt's time is up).
fn failing(options: Options) -> Options {
    Options {
        init_max_attempts: Some(1),
        rpc_init_max_seconds: Some(2.0),
        rpc_max_retries: Some(0),
        ..options
    }
}

#[track_caller]
fn expect_error(result: cgym::Result<()>) -> Error {
    match result {
        Ok(()) => panic!("expected an error"),
        Err(error) => error,
    }
}

/// The service refused the client: UNAUTHENTICATED "Missing or invalid token", at once
/// (connecting does not retry a refused token, which no retry can cure).
#[track_caller]
fn expect_unauthenticated(result: cgym::Result<()>) {
    let error = expect_error(result);
    assert_eq!(error.code(), Code::UNAUTHENTICATED, "{error}");
    assert!(
        error.message().contains("Missing or invalid token"),
        "{error}"
    );
}

/// Failing to connect (TLS that does not verify, plaintext to TLS): SERVICE_INIT.
#[track_caller]
fn expect_no_connection(result: cgym::Result<()>) {
    let error = expect_error(result);
    assert_eq!(error.code(), Code::SERVICE_INIT, "{error}");
    assert_eq!(error.kind(), ErrorKind::ServiceInit);
}

#[test]
fn token() {
    let dir = test_dir("token");
    let token = write_token(&dir);
    let service = Service::start(&dir, &[flag("token_file", &token)]);
    episode(&service.endpoint, &Options::new().token(TOKEN)).unwrap();
    expect_unauthenticated(episode(&service.endpoint, &failing(Options::new())));
    let wrong = format!("{}0", &TOKEN[..TOKEN.len() - 1]);
    expect_unauthenticated(episode(
        &service.endpoint,
        &failing(Options::new().token(wrong)),
    ));
    expect_unauthenticated(episode(
        &service.endpoint,
        &failing(Options::new().token("")),
    ));
}

#[test]
fn token_on_every_call() {
    let dir = test_dir("every-call");
    let token = write_token(&dir);
    let service = Service::start(&dir, &[flag("token_file", &token)]);
    let options = Options::new().token(TOKEN).benchmark(BENCHMARK);
    let mut env = Env::connect(&service.endpoint, &options).unwrap();
    env.reset().unwrap();
    env.step(1).unwrap();
    let mut fork = env.fork().unwrap();
    fork.step(2).unwrap();
    assert_eq!(fork.action_count().unwrap(), 2);
    fork.close().unwrap();
    let size = env
        .send_param("service.benchmark_cache.get_max_size_in_bytes", "")
        .unwrap();
    assert!(size.parse::<u64>().unwrap() > 0);
    assert_eq!(env.action_count().unwrap(), 1);
    env.close().unwrap();
}

#[test]
fn debug_hides_the_token() {
    let options = Options::new().token(TOKEN).tls();
    let text = format!("{options:?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(text.contains("tls: true"), "{text}");
}

#[test]
fn tls() {
    let dir = test_dir("tls");
    let (cert, key) = make_certificate(&dir, "localhost");
    let (other, _) = make_certificate(&dir, "other");
    let service = Service::start(&dir, &[flag("tls_cert", &cert), flag("tls_key", &key)]);
    let endpoint = &service.endpoint;
    episode(endpoint, &Options::new().tls_root_certs(&cert)).unwrap();
    episode(endpoint, &Options::new().tls().tls_root_certs(&cert)).unwrap();
    // Plaintext to a TLS service; TLS that trusts only the system's roots, or another
    // certificate, which did not sign the service's.
    expect_no_connection(episode(endpoint, &failing(Options::new())));
    expect_no_connection(episode(endpoint, &failing(Options::new().tls())));
    expect_no_connection(episode(
        endpoint,
        &failing(Options::new().tls_root_certs(&other)),
    ));
}

#[test]
fn tls_to_a_plaintext_service_fails() {
    let dir = test_dir("plaintext");
    let (cert, _) = make_certificate(&dir, "localhost");
    let service = Service::start(&dir, &[]);
    episode(&service.endpoint, &Options::new()).unwrap();
    expect_no_connection(episode(
        &service.endpoint,
        &failing(Options::new().tls_root_certs(&cert)),
    ));
}

#[test]
fn tls_and_token() {
    let dir = test_dir("tls-token");
    let (cert, key) = make_certificate(&dir, "localhost");
    let token = write_token(&dir);
    let service = Service::start(
        &dir,
        &[
            flag("tls_cert", &cert),
            flag("tls_key", &key),
            flag("token_file", &token),
        ],
    );
    let options = Options::new().tls_root_certs(&cert);
    episode(&service.endpoint, &options.clone().token(TOKEN)).unwrap();
    expect_unauthenticated(episode(&service.endpoint, &failing(options)));
}

#[test]
fn client_certificates() {
    let dir = test_dir("client-certs");
    let (cert, key) = make_certificate(&dir, "localhost");
    let (client_cert, client_key) = make_certificate(&dir, "cgym-test-client");
    let service = Service::start(
        &dir,
        &[
            flag("tls_cert", &cert),
            flag("tls_key", &key),
            flag("tls_client_ca", &client_cert),
        ],
    );
    let options = Options::new().tls_root_certs(&cert);
    episode(
        &service.endpoint,
        &options.clone().tls_client_cert(&client_cert, &client_key),
    )
    .unwrap();
    expect_no_connection(episode(&service.endpoint, &failing(options.clone())));
    // A certificate the CA did not sign: the service's own.
    expect_no_connection(episode(
        &service.endpoint,
        &failing(options.tls_client_cert(&cert, &key)),
    ));
}

#[test]
fn invalid_tls_options() {
    let dir = test_dir("invalid");
    let (cert, key) = make_certificate(&dir, "localhost");
    let service = Service::start(&dir, &[]);
    let endpoint = &service.endpoint;
    // A client certificate without its key, and the reverse.
    for options in [
        Options {
            tls_client_cert: Some(cert.clone()),
            ..Options::new()
        },
        Options {
            tls_client_key: Some(key.clone()),
            ..Options::new()
        },
    ] {
        let error = expect_error(episode(endpoint, &failing(options)));
        assert_eq!(error.code(), Code::INVALID_ARGUMENT, "{error}");
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    }
    // A file that cannot be read is named.
    let missing = dir.join("no-such-file.pem");
    for options in [
        Options::new().tls_root_certs(&missing),
        Options::new().tls_client_cert(&missing, &key),
        Options::new().tls_client_cert(&cert, &missing),
    ] {
        let error = expect_error(episode(endpoint, &failing(options)));
        assert_eq!(error.code(), Code::INVALID_ARGUMENT, "{error}");
        assert!(error.message().contains("no-such-file.pem"), "{error}");
    }
    // A token that cannot be sent as gRPC metadata, and one that cannot cross the C ABI.
    for token in ["line\nbreak", "nul\0byte"] {
        let error = expect_error(episode(endpoint, &failing(Options::new().token(token))));
        assert_eq!(error.code(), Code::INVALID_ARGUMENT, "{error}");
    }
}
