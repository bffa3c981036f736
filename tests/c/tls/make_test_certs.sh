#!/bin/sh
# SPDX-License-Identifier: MIT
# Makes throwaway TLS material for the tests in the directory $1 (created if missing), with the
# openssl command: a CA (ca.pem), a certificate it signs for the service on localhost
# (server.pem, server.key) and one for a client (client.pem, client.key); and a second CA
# (other-ca.pem) with a client certificate of its own (stranger.pem, stranger.key). Keys are
# made at test time and never kept in the repository.
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
umask 077
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
}
# sign NAME CA SUBJECT EXTENSIONS: NAME.key and NAME.pem, signed by CA.
sign() {
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$3"
  printf '%s\n' "$4" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" \
    -days 2 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
ca ca "cgym test CA"
ca other-ca "cgym other test CA"
sign server ca localhost "basicConstraints=CA:FALSE
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
client="basicConstraints=CA:FALSE
extendedKeyUsage=clientAuth"
sign client ca "cgym test client" "$client"
sign stranger other-ca "cgym stranger" "$client"
openssl verify -CAfile ca.pem server.pem client.pem >/dev/null
openssl verify -CAfile other-ca.pem stranger.pem >/dev/null
