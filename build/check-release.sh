#!/usr/bin/env bash
# The release dry run and the reproducibility check, in one: builds the release bundle twice, each
# time from a fresh copy of this working tree in its own folder, as `mvn -Prelease deploy` would
# for a release (RELEASING.md) but without signing keys and without uploading, then checks
#  - that the two bundles are byte-identical, file by file (reproducible builds: the jars, their
#    sources and Javadoc, the poms and the checksums);
#  - that the bundle holds what Maven Central requires of every published artifact (pom, jar,
#    sources, Javadoc, checksums) and nothing that is not published;
#  - that the BOM lists every published artifact, at the release version, and has no parent;
#  - that `mvn javadoc:aggregate@aggregate` documents the published modules;
#  - that no plugin of the build is one known to break reproducibility (artifact:check-buildplan).
# Usage: build/check-release.sh [extra Maven arguments, e.g. -o]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
base="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
version="${base%-SNAPSHOT}"            # a release version: Central takes no snapshots in bundles
work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
mvn_args=(-B -q "$@")

# The Central plugin wants the credentials of server "central" even when it does not upload:
# placeholders here, beside whatever the user's own settings say.
settings="$work/settings.xml"
server='<server><id>central</id><username>dry-run</username><password>dry-run</password></server>'
if [ -f "$HOME/.m2/settings.xml" ]; then
  python3 - "$HOME/.m2/settings.xml" "$settings" "$server" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
if "<servers>" in text:
    text = text.replace("<servers>", "<servers>" + sys.argv[3], 1)
else:
    text = re.sub(r"</settings>\s*$", "<servers>" + sys.argv[3] + "</servers></settings>\n", text)
open(sys.argv[2], "w").write(text)
PY
else
  printf '<settings><servers>%s</servers></settings>\n' "$server" >"$settings"
fi

build() {
  local dir="$work/$1"
  mkdir -p "$dir"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$dir"
  (cd "$dir" && mvn "${mvn_args[@]}" versions:set -DnewVersion="$version" \
    -DupdateBuildOutputTimestampPolicy=never >/dev/null \
    && mvn "${mvn_args[@]}" -s "$settings" -Prelease -Dgpg.skip -DcentralBaseUrl="$portal" \
      -Dmaven.test.skip=true deploy)
  local bundle="$dir/target/central-publishing/central-bundle.zip"
  [ -f "$bundle" ] || { echo "check-release: no bundle at $bundle" >&2; exit 1; }
  mkdir -p "$work/$1-bundle"
  (cd "$work/$1-bundle" && unzip -q "$bundle")
}

# The Central plugin stages and bundles only when it is going to upload (its skipPublishing skips
# the staging too), so the dry run hands the bundle to a stand-in for the Central Portal's publisher
# API on loopback: it answers "not yet published" and takes the upload. Nothing leaves the machine.
python3 - "$work/portal" <<'PY' &
import http.server, json, os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
class Portal(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, kind):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        if self.path.startswith("/api/v1/publisher/published"):
            self.reply(200, json.dumps({"published": False}), "application/json")
        else:
            self.reply(404, "", "text/plain")
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n)
        if self.path.startswith("/api/v1/publisher/status"):
            state = {"deploymentId": "dry-run", "deploymentName": "dry run",
                     "deploymentState": "VALIDATED", "purls": [], "errors": {}}
            self.reply(200, json.dumps(state), "application/json")
            return
        count = len(os.listdir(out))
        open(os.path.join(out, "upload-%d" % count), "wb").write(body)
        self.reply(201, json.dumps("dry-run-%d" % count), "application/json")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Portal)
open(os.path.join(out, "..", "portal.port"), "w").write(str(server.server_port))
server.serve_forever()
PY
portal_pid=$!
trap 'kill $portal_pid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/portal.port" ] && break; sleep 0.1; done
portal="http://127.0.0.1:$(cat "$work/portal.port")"

# maven-artifact-plugin knows which plugin versions cannot build reproducibly: none of ours may
mvn "${mvn_args[@]}" artifact:check-buildplan

echo "check-release: building the $version bundle twice, in two folders"
build one
build two

status=0
if ! diff -r "$work/one-bundle" "$work/two-bundle" >/dev/null; then
  echo "check-release: NOT REPRODUCIBLE; files that differ between the two builds:" >&2
  diff -rq "$work/one-bundle" "$work/two-bundle" >&2 || true
  status=1
fi

group=org/mailauth4j
published=(mailauth4j-parent mailauth4j-bom)
for pom in */pom.xml; do
  module="$(dirname "$pom")"
  [ -f "$module/src/main/java/module-info.java" ] && published+=("mailauth4j-$module")
done
published+=(mailauth4j-cli)
found="$(cd "$work/one-bundle/$group" && ls | sort | tr '\n' ' ')"
expected="$(printf '%s\n' "${published[@]}" | sort | tr '\n' ' ')"
if [ "$found" != "$expected" ]; then
  echo "check-release: the bundle holds [$found], expected [$expected]" >&2
  status=1
fi
for artifact in "${published[@]}"; do
  dir="$work/one-bundle/$group/$artifact/$version"
  wanted=("$artifact-$version.pom")
  case "$artifact" in
    mailauth4j-parent|mailauth4j-bom) ;;
    *) wanted+=("$artifact-$version.jar" "$artifact-$version-sources.jar" "$artifact-$version-javadoc.jar") ;;
  esac
  for f in "${wanted[@]}"; do
    for suffix in "" .md5 .sha1; do
      [ -f "$dir/$f$suffix" ] || { echo "check-release: missing $artifact/$version/$f$suffix" >&2; status=1; }
    done
  done
  for jar in "$dir"/*.jar; do
    [ -e "$jar" ] || continue
    unzip -l "$jar" META-INF/LICENSE >/dev/null 2>&1 \
      || { echo "check-release: no META-INF/LICENSE in $(basename "$jar")" >&2; status=1; }
  done
done

bom="$work/one-bundle/$group/mailauth4j-bom/$version/mailauth4j-bom-$version.pom"
if grep -q "<parent>" "$bom"; then
  echo "check-release: the published BOM has a parent (users would import its pins)" >&2
  status=1
fi
for artifact in "${published[@]}"; do
  case "$artifact" in mailauth4j-parent|mailauth4j-bom) continue ;; esac
  grep -q "<artifactId>$artifact</artifactId>" "$bom" \
    || { echo "check-release: the BOM does not list $artifact" >&2; status=1; }
done
listed="$(grep -c "<artifactId>mailauth4j-" "$bom")"
if [ "$listed" -ne "$(( ${#published[@]} - 1 ))" ]; then  # its own artifactId + every jar artifact
  echo "check-release: the BOM lists $((listed - 1)) artifacts, ${#published[@]} are published" >&2
  status=1
fi

(cd "$work/one" && mvn "${mvn_args[@]}" javadoc:aggregate@aggregate) \
  && [ -f "$work/one/target/reports/apidocs/index.html" ] \
  || { echo "check-release: javadoc:aggregate failed" >&2; status=1; }

if [ "$status" -eq 0 ]; then
  n="$(find "$work/one-bundle" -type f | wc -l)"
  echo "check-release: OK: $n files in the bundle, identical in both builds; ${#published[@]} artifacts, BOM complete, aggregate Javadoc built"
fi
exit "$status"
