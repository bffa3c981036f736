/* SPDX-License-Identifier: MIT */
/*
 * Reaching services that only their owner may use, from C: cgym_options_set_token() and
 * cgym_options_set_tls() against the example service run here on loopback with a token
 * (--token_file), with TLS (a certificate made at test time by tls/make_test_certs.sh), and
 * with client certificates required (--tls_client_ca); every documented error of both; and
 * managed services, which ignore both (they are private anyway).
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nanosleep, posix_spawn, kill */
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgym.h"
#include "test_util.h"

extern char** environ;

#define TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The directory of this run's certificates and token file (made by the group setup). */
static char dir[64];

static void sleep_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&t, NULL);
}

/* dir/name, in a static buffer per slot (two paths may be used at once). */
static const char* path_in(int slot, const char* name) {
  static char paths[4][128];
  snprintf(paths[slot], sizeof paths[slot], "%s/%s", dir, name);
  return paths[slot];
}

static void write_file(const char* path, const char* contents) {
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(contents, f);
  fclose(f);
}

/* --- The example service, run as someone else's service -------------------------------- */

typedef struct {
  pid_t pid;
  char dir[64];
  char endpoint[64];
} service_t;

/* Starts the example service on loopback with the flags `flags` (NULL-terminated) and waits
 * for its port. */
static void start_service(service_t* s, const char* const* flags) {
  char working_dir[128], port_file[128];
  char* argv[12];
  size_t n = 0;
  int waited, status;
  snprintf(s->dir, sizeof s->dir, "/tmp/cgym-security-test-XXXXXX");
  assert_non_null(mkdtemp(s->dir));
  snprintf(working_dir, sizeof working_dir, "--working_dir=%s", s->dir);
  snprintf(port_file, sizeof port_file, "%s/port.txt", s->dir);
  argv[n++] = (char*)CGYM_EXAMPLE_SERVICE_CC;
  argv[n++] = working_dir;
  for (; *flags && n < 11; ++flags) argv[n++] = (char*)*flags;
  argv[n] = NULL;
  if (posix_spawn(&s->pid, CGYM_EXAMPLE_SERVICE_CC, NULL, NULL, argv, environ) != 0) {
    s->pid = 0;
    fail_msg("cannot start %s", CGYM_EXAMPLE_SERVICE_CC);
  }
  for (waited = 0; waited < 3000; ++waited) {
    FILE* f = fopen(port_file, "r");
    int port = 0;
    if (f) {
      int read = fscanf(f, "%d", &port);
      fclose(f);
      if (read == 1 && port > 0) {
        snprintf(s->endpoint, sizeof s->endpoint, "localhost:%d", port);
        return;
      }
    }
    if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
      s->pid = 0;
      fail_msg("the service exited at start-up");
    }
    sleep_ms(10);
  }
  fail_msg("the service wrote no port.txt");
}

/* The service of the running test, stopped after it whether it passed or failed. */
static service_t service;

/* SIGKILL: a service with clients still connected takes seconds to stop gracefully. */
static int stop_service(void** state) {
  char command[160];
  (void)state;
  if (service.pid <= 0) return 0;
  kill(service.pid, SIGKILL);
  waitpid(service.pid, NULL, 0);
  service.pid = 0;
  snprintf(command, sizeof command, "rm -rf '%s'", service.dir);
  return system(command) == 0 ? 0 : -1;
}

/* --- Connecting ---------------------------------------------------------------------------- */

/* Options for one quick attempt: a connection that cannot succeed fails in about a second. */
static cgym_options_t* quick_options(void) {
  cgym_options_t* options = NULL;
  static const char program[] = "Ir data";
  assert_ok(cgym_options_new(&options));
  assert_ok(cgym_options_set_benchmark(options, "benchmark://example-compiler-v0/foo", program,
                                       sizeof program - 1));
  assert_ok(cgym_options_set_init_max_attempts(options, 1));
  assert_ok(cgym_options_set_rpc_init_max_seconds(options, 1));
  return options;
}

/* Connects with `options` (freed), then resets and steps: the service is usable. */
static void assert_usable(const char* endpoint, cgym_options_t* options) {
  cgym_env_t* env = NULL;
  int done = 1;
  assert_ok(cgym_connect(&env, endpoint, options));
  cgym_options_free(options);
  assert_ok(cgym_env_reset(env, NULL, NULL));
  assert_ok(cgym_step_index(env, 0, &done, NULL));
  assert_false(done);
  assert_ok(cgym_env_close(env));
  cgym_env_free(env);
}

/* Connecting with `options` (freed) fails with `code` (any code if 0), its message holding
 * `text`. */
static void assert_refused(const char* endpoint, cgym_options_t* options, cgym_status_t code,
                           const char* text) {
  cgym_env_t* env = NULL;
  const cgym_status_t status = cgym_connect(&env, endpoint, options);
  cgym_options_free(options);
  assert_null(env);
  if (status == CGYM_OK) fail_msg("connecting to %s succeeded", endpoint);
  if (code != 0 && status != code) {
    fail_msg("expected %s, got %s: %s", cgym_status_name(code), cgym_status_name(status),
             cgym_last_error_message());
  }
  if (!strstr(cgym_last_error_message(), text)) {
    fail_msg("'%s' is not in: %s", text, cgym_last_error_message());
  }
}

/* --- Tests --------------------------------------------------------------------------------- */

static void test_option_errors(void** state) {
  cgym_options_t* o = NULL;
  (void)state;
  assert_fails(cgym_options_set_token(NULL, TOKEN), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_tls(NULL, NULL, NULL, NULL), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_options_new(&o));
  assert_ok(cgym_options_set_token(o, TOKEN));
  assert_ok(cgym_options_set_token(o, NULL));
  assert_ok(cgym_options_set_token(o, ""));
  assert_fails(cgym_options_set_token(o, "two words"), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_token(o, "line\n"), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_token(o, "caf\xc3\xa9"), CGYM_INVALID_ARGUMENT);
  assert_ok(cgym_options_set_tls(o, NULL, NULL, NULL));
  assert_ok(cgym_options_set_tls(o, "ca.pem", "client.pem", "client.key"));
  assert_fails(cgym_options_set_tls(o, NULL, "client.pem", NULL), CGYM_INVALID_ARGUMENT);
  assert_non_null(strstr(cgym_last_error_message(), "client_key_path"));
  assert_fails(cgym_options_set_tls(o, NULL, NULL, "client.key"), CGYM_INVALID_ARGUMENT);
  assert_fails(cgym_options_set_tls(o, NULL, "", "client.key"), CGYM_INVALID_ARGUMENT);
  cgym_options_free(o);
}

static void test_token(void** state) {
  cgym_options_t* options;
  char token_flag[160];
  const char* flags[] = {token_flag, NULL};
  (void)state;
  snprintf(token_flag, sizeof token_flag, "--token_file=%s", path_in(0, "token"));
  start_service(&service, flags);

  /* Without the token, or with another one, the service turns every call away. */
  assert_refused(service.endpoint, quick_options(), CGYM_UNAUTHENTICATED,
                 "Missing or invalid token");
  options = quick_options();
  assert_ok(cgym_options_set_token(options, "not-" TOKEN));
  assert_refused(service.endpoint, options, CGYM_UNAUTHENTICATED, "Missing or invalid token");

  options = quick_options();
  assert_ok(cgym_options_set_token(options, TOKEN));
  assert_usable(service.endpoint, options);
}

static void test_tls(void** state) {
  cgym_options_t* options;
  char token_flag[160], cert_flag[160], key_flag[160];
  const char* flags[] = {token_flag, cert_flag, key_flag, NULL};
  (void)state;
  snprintf(token_flag, sizeof token_flag, "--token_file=%s", path_in(0, "token"));
  snprintf(cert_flag, sizeof cert_flag, "--tls_cert=%s", path_in(0, "server.pem"));
  snprintf(key_flag, sizeof key_flag, "--tls_key=%s", path_in(1, "server.key"));
  start_service(&service, flags);

  options = quick_options();
  assert_ok(cgym_options_set_token(options, TOKEN));
  assert_ok(cgym_options_set_tls(options, path_in(0, "ca.pem"), NULL, NULL));
  assert_usable(service.endpoint, options);

  /* TLS still wants the token. */
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, path_in(0, "ca.pem"), NULL, NULL));
  assert_refused(service.endpoint, options, CGYM_UNAUTHENTICATED, "Missing or invalid token");

  /* A certificate that the given roots, or the system's, do not vouch for is no service. */
  options = quick_options();
  assert_ok(cgym_options_set_token(options, TOKEN));
  assert_ok(cgym_options_set_tls(options, path_in(0, "other-ca.pem"), NULL, NULL));
  assert_refused(service.endpoint, options, 0, "TLS");
  options = quick_options();
  assert_ok(cgym_options_set_token(options, TOKEN));
  assert_ok(cgym_options_set_tls(options, NULL, NULL, NULL));
  assert_refused(service.endpoint, options, 0, "TLS");

  /* Plaintext does not reach a TLS service. */
  options = quick_options();
  assert_ok(cgym_options_set_token(options, TOKEN));
  assert_refused(service.endpoint, options, 0, service.endpoint);
}

static void test_client_certificates(void** state) {
  cgym_options_t* options;
  char cert_flag[160], key_flag[160], ca_flag[160];
  const char* flags[] = {cert_flag, key_flag, ca_flag, NULL};
  (void)state;
  snprintf(cert_flag, sizeof cert_flag, "--tls_cert=%s", path_in(0, "server.pem"));
  snprintf(key_flag, sizeof key_flag, "--tls_key=%s", path_in(0, "server.key"));
  snprintf(ca_flag, sizeof ca_flag, "--tls_client_ca=%s", path_in(0, "ca.pem"));
  start_service(&service, flags);

  options = quick_options();
  assert_ok(cgym_options_set_tls(options, path_in(0, "ca.pem"), path_in(1, "client.pem"),
                                 path_in(2, "client.key")));
  assert_usable(service.endpoint, options);

  /* Without a client certificate, or with one that another CA signed, no call gets through
   * (gRPC reports the refused handshake as a connection that never became ready, or as an
   * unavailable service). */
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, path_in(0, "ca.pem"), NULL, NULL));
  assert_refused(service.endpoint, options, 0, "");
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, path_in(0, "ca.pem"), path_in(1, "stranger.pem"),
                                 path_in(2, "stranger.key")));
  assert_refused(service.endpoint, options, 0, "");
}

/* Files that cannot be read are INVALID_ARGUMENT at cgym_connect(), naming the file; nothing
 * listens on the endpoint, which is never reached. */
static void test_unreadable_files(void** state) {
  cgym_options_t* options;
  const char* missing = path_in(0, "missing.pem");
  (void)state;
  write_file(path_in(3, "empty.pem"), "");

  options = quick_options();
  assert_ok(cgym_options_set_tls(options, missing, NULL, NULL));
  assert_refused("localhost:1", options, CGYM_INVALID_ARGUMENT, missing);
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, path_in(3, "empty.pem"), NULL, NULL));
  assert_refused("localhost:1", options, CGYM_INVALID_ARGUMENT, "empty.pem' is empty");
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, dir, NULL, NULL));
  assert_refused("localhost:1", options, CGYM_INVALID_ARGUMENT, dir);
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, path_in(1, "ca.pem"), path_in(2, "client.pem"), missing));
  assert_refused("localhost:1", options, CGYM_INVALID_ARGUMENT, missing);
  options = quick_options();
  assert_ok(cgym_options_set_tls(options, NULL, missing, path_in(2, "client.key")));
  assert_refused("localhost:1", options, CGYM_INVALID_ARGUMENT, missing);
}

/* A managed service is reached over its private socket with a token the env makes: the
 * options' token and TLS files are not used (the TLS file here does not even exist). */
static void test_managed_services_ignore_both(void** state) {
  cgym_options_t* options = quick_options();
  (void)state;
  assert_ok(cgym_options_set_token(options, "ignored"));
  assert_ok(cgym_options_set_tls(options, path_in(0, "missing.pem"), NULL, NULL));
  assert_ok(cgym_options_set_init_max_attempts(options, 5));
  assert_ok(cgym_options_set_rpc_init_max_seconds(options, 30));
  assert_usable(CGYM_EXAMPLE_SERVICE_CC, options);
}

static int make_certificates(void** state) {
  char command[256];
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/cgym-security-certs-XXXXXX");
  if (!mkdtemp(dir)) return -1;
  snprintf(command, sizeof command, "sh '%s' '%s'", CGYM_TEST_CERTS_SCRIPT, dir);
  if (system(command) != 0) return -1;
  write_file(path_in(0, "token"), TOKEN "\n");
  return 0;
}

static int remove_certificates(void** state) {
  char command[128];
  (void)state;
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  return system(command) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_option_errors),
      cmocka_unit_test_teardown(test_token, stop_service),
      cmocka_unit_test_teardown(test_tls, stop_service),
      cmocka_unit_test_teardown(test_client_certificates, stop_service),
      cmocka_unit_test(test_unreadable_files),
      cmocka_unit_test(test_managed_services_ignore_both),
  };
  return cmocka_run_group_tests(tests, make_certificates, remove_certificates);
}
