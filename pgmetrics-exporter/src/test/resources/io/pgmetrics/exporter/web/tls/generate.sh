#!/bin/sh
# Test certificates for the web config tests, made once with OpenSSL 3 and committed (valid for 100 years).
# The tests read these files; they never run openssl. Regenerate: sh generate.sh (in this directory).
set -eu
days=36500
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out ca.pem -days $days \
  -subj "/CN=pgmetrics test CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

sign() { # name subject extensions
  openssl req -new -key "$1.key" -out "$work/$1.csr" -subj "$2"
  printf '%s\n' "$3" > "$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA ca.pem -CAkey "$work/ca.key" -CAcreateserial -CAserial "$work/ca.srl" \
    -days $days -sha256 -extfile "$work/$1.ext" -out "$1.pem"
}
server_ext='subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
extendedKeyUsage=serverAuth'

# RSA server key in PKCS#1 ("RSA PRIVATE KEY") and the same key in PKCS#8
openssl genrsa -traditional -out server-rsa.key 2048
openssl pkcs8 -topk8 -nocrypt -in server-rsa.key -out server-rsa-pkcs8.key
sign server-rsa "/CN=pgmetrics server one" "$server_ext"

# a second RSA server certificate, for rotation
openssl genrsa -traditional -out server-two.key 2048
sign server-two "/CN=pgmetrics server two" "$server_ext"

# EC P-256 server key in SEC 1 ("EC PRIVATE KEY", with an EC PARAMETERS block first) and in PKCS#8
openssl ecparam -name prime256v1 -genkey -out server-ec.key
openssl pkcs8 -topk8 -nocrypt -in server-ec.key -out server-ec-pkcs8.key
sign server-ec "/CN=pgmetrics server ec" "$server_ext"

# Ed25519 key (PKCS#8 only exists for it)
openssl genpkey -algorithm ed25519 -out ed25519.key

# encrypted keys, which must be refused with a clear message
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:secret -in server-rsa.key -out encrypted-pkcs8.key
openssl rsa -aes256 -traditional -passout pass:secret -in server-rsa.key -out encrypted-pkcs1.key

# client certificate signed by the CA, with SANs, and a self-signed one the CA does not know
openssl genrsa -traditional -out client.key 2048
sign client "/CN=scraper" 'subjectAltName=DNS:scraper.example,email:scraper@example.org,IP:::1
extendedKeyUsage=clientAuth'
openssl req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days $days -subj "/CN=rogue" \
  -addext "subjectAltName=DNS:scraper.example"
