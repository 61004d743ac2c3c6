#!/usr/bin/env python3
"""Writes bcrypt-vectors.tsv: reference hashes made by two independent tools on Debian 12.

- glibc's crypt(3) through Python's crypt module (libxcrypt: $2a$, $2b$, $2y$)
- htpasswd -B from apache2-utils (APR's own bcrypt: $2y$)

Columns: tool, password as UTF-8 hex, hash. The tests read this file; they never run the tools.
Regenerate: apt-get install apache2-utils && python3 generate-bcrypt-vectors.py > bcrypt-vectors.tsv
"""
import crypt, os, subprocess, warnings

warnings.filterwarnings("ignore")
ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
PASSWORDS = [
    "", "a", "password", "correct horse battery staple", "pä$$wörd ünïcödé 🐘",
    "colon:inside:password", "x" * 71, "x" * 72, "x" * 72 + "y", "0123456789" * 10,
]

def salt():
    return "".join(ALPHABET[b % 64] for b in os.urandom(22))

rows = []
for i, prefix in enumerate(["2a", "2b", "2y"]):
    for cost in range(4, 11):
        pw = PASSWORDS[(cost + i) % len(PASSWORDS)]
        rows.append(("crypt", pw, crypt.crypt(pw, "$%s$%02d$%s" % (prefix, cost, salt()))))
    for pw in PASSWORDS:
        rows.append(("crypt", pw, crypt.crypt(pw, "$%s$04$%s" % (prefix, salt()))))
for cost in range(4, 11):
    pw = PASSWORDS[cost % len(PASSWORDS)]
    out = subprocess.run(["htpasswd", "-nbBC", str(cost), "u", pw], check=True, capture_output=True).stdout
    rows.append(("htpasswd", pw, out.decode().strip().split(":", 1)[1]))
for pw in PASSWORDS:
    if pw == "":
        continue  # htpasswd -b refuses an empty password on some versions
    out = subprocess.run(["htpasswd", "-nbBC", "4", "u", pw], check=True, capture_output=True).stdout
    rows.append(("htpasswd", pw, out.decode().strip().split(":", 1)[1]))

print("# bcrypt reference vectors; see generate-bcrypt-vectors.py. tool<TAB>password-utf8-hex<TAB>hash")
for tool, pw, h in rows:
    assert h.startswith("$2") and len(h) == 60, (tool, pw, h)
    print("%s\t%s\t%s" % (tool, pw.encode().hex(), h))
