#!/usr/bin/env bash
# Regenerates the offline sample: DKIM keys, the zone that publishes them, and the messages signed
# with them, using the mailauth command itself. Run it only to change the sample: the files it
# writes are committed, and the end-to-end tests compare the command's output on them.
set -euo pipefail
cd "$(dirname "$0")"
mailauth=../mailauth

rm -f keys/*.pem
$mailauth keygen --type rsa --bits 2048 --domain example.test --selector rsa2026 --out keys/rsa2026.pem >/dev/null
$mailauth keygen --type ed25519 --domain example.test --selector ed2026 --out keys/ed2026.pem >/dev/null
$mailauth keygen --type rsa --bits 2048 --domain partner.test --selector esp1 --out keys/partner-esp1.pem >/dev/null
$mailauth keygen --type rsa --bits 1024 --domain weak.test --selector old --out keys/weak-old.pem >/dev/null

record() { $mailauth keygen --from "$1" --domain "$2" --selector "$3" | grep "IN TXT"; }

cat > zone/example.test.zone <<ZONE
; The offline sample of the mailauth command: four domains, made for the messages in ../messages.
; 192.0.2.0/24 and 198.51.100.0/24 are documentation addresses (RFC 5737); .test names never exist
; outside this file (RFC 2606). Made by ../regenerate.sh.
\$TTL 3600

; example.test: a domain with both halves in order
example.test.                  IN SOA   ns.example.test. hostmaster.example.test. 2026120101 7200 900 1209600 300
example.test.                  IN NS    ns.example.test.
example.test.                  IN MX    10 mx.example.test.
example.test.                  IN TXT   "v=spf1 ip4:192.0.2.0/25 include:_spf.partner.test -all"
_dmarc.example.test.           IN TXT   "v=DMARC1; p=reject; sp=quarantine; adkim=r; aspf=r; rua=mailto:dmarc-reports@example.test"
$(record keys/rsa2026.pem example.test rsa2026)
$(record keys/ed2026.pem example.test ed2026)
_mta-sts.example.test.         IN TXT   "v=STSv1; id=20261201T000000;"
_smtp._tls.example.test.       IN TXT   "v=TLSRPTv1; rua=mailto:tls-reports@example.test"
mx.example.test.               IN A     192.0.2.10
mx.example.test.               IN AAAA  2001:db8::10
mta-sts.example.test.          IN A     192.0.2.11
mail.example.test.             IN A     192.0.2.25
ns.example.test.               IN A     192.0.2.53

; news.example.test: a subdomain with no record of its own; example.test's sp applies
news.example.test.             IN A     192.0.2.26
news.example.test.             IN TXT   "v=spf1 a -all"

; partner.test: an e-mail service provider that sends for example.test, signing as itself
partner.test.                  IN SOA   ns.partner.test. hostmaster.partner.test. 2026120101 7200 900 1209600 300
partner.test.                  IN MX    10 mx.partner.test.
partner.test.                  IN TXT   "v=spf1 include:_spf.partner.test -all"
_spf.partner.test.             IN TXT   "v=spf1 ip4:198.51.100.0/26 -all"
_dmarc.partner.test.           IN TXT   "v=DMARC1; p=none; rua=mailto:dmarc@partner.test"
$(record keys/partner-esp1.pem partner.test esp1)
mx.partner.test.               IN A     198.51.100.10

; weak.test: what check is for
weak.test.                     IN SOA   ns.weak.test. hostmaster.weak.test. 2026120101 7200 900 1209600 300
weak.test.                     IN MX    10 mail.weak.test.
weak.test.                     IN TXT   "v=spf1 a mx a:gone.weak.test +all"
_dmarc.weak.test.              IN TXT   "v=DMARC1; p=none; pct=50"
$(record keys/weak-old.pem weak.test old)
mail.weak.test.                IN A     203.0.113.5
ZONE

ip=192.0.2.25
$mailauth sign messages/unsigned.eml --no-timestamp \
  --key keys/rsa2026.pem --selector rsa2026 --domain example.test \
  --key keys/ed2026.pem --selector ed2026 --domain example.test > messages/pass.eml
$mailauth sign messages/unsigned-newsletter.eml --no-timestamp \
  --key keys/partner-esp1.pem --selector esp1 --domain partner.test > messages/alignment-fail.eml
# Signed, then changed on the way: the body no longer matches the signature's body hash.
$mailauth sign messages/unsigned.eml --no-timestamp \
  --key keys/rsa2026.pem --selector rsa2026 --domain example.test \
  | sed 's/at 10:00/at 11:00/' > messages/broken-signature.eml
echo "regenerated; client $ip passes SPF for example.test"
