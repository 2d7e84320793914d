#!/usr/bin/env bash
# The production layout on one machine (docs/deployment.md), end to end, then everything stopped again:
#   PostgreSQL database apa_deploy (dropped and created afresh), moto's S3 server on :9000 as the object
#   storage, two gunicorn app servers on :8001 and :8002, one report worker — all with one environment.
# Then, as a browser would: sign in on :8001, see the same plan totals on :8002, submit and approve Q1 on
# :8001, wait for the worker to render the approved report, download it from :8002 and compare SHA-256s.
#
#   bash scripts/deploy-demo.sh            # from the repository root; needs PostgreSQL on 127.0.0.1:5432
#
# Settings: APA_DEMO_DB (default apa_deploy; must start with apa_deploy, as it is dropped), APA_DEMO_DIR
# (logs and static files, default /tmp/apa-deploy-demo), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
DB=${APA_DEMO_DB:-apa_deploy}
DIR=${APA_DEMO_DIR:-/tmp/apa-deploy-demo}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
case "$DB" in apa_deploy*) ;; *) echo "APA_DEMO_DB must start with apa_deploy (it is dropped)" >&2; exit 1 ;; esac
for port in 8001 8002 9000; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 1; fi
done
rm -rf "$DIR" && mkdir -p "$DIR"

pids=()
stop_all() {
    # Everything this script started, by process id: the worker and gunicorn finish what they hold.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

step() { printf '\n== %s\n' "$*"; }

# --- 1. The environment every process shares --------------------------------------------------------------
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="deploy-demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
# Plain HTTP on loopback for the demo only; in production TLS ends at the proxy and these stay on.
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
export DJANGO_CONN_MAX_AGE=60
export APA_STORAGE=s3 APA_S3_BUCKET=apa-deploy APA_S3_ENDPOINT_URL=http://127.0.0.1:9000
export APA_S3_REGION=us-east-1 APA_S3_ADDRESSING_STYLE=path APA_S3_PREFIX=apa
export AWS_ACCESS_KEY_ID=demo-access-key AWS_SECRET_ACCESS_KEY=demo-secret-key  # moto takes any
export APA_REPORT_JOBS=worker
export DJANGO_STATIC_ROOT="$DIR/static"
export APA_WORKERS=2
export APA_DEMO_PASSWORD=deploy-demo-2023

# --- 2. Database and object storage ----------------------------------------------------------------------
step "PostgreSQL database $DB (fresh)"
dropdb --if-exists "$DB"
createdb "$DB"

step "object storage: moto's S3 server on 127.0.0.1:9000, bucket $APA_S3_BUCKET"
$BIN/moto_server -H 127.0.0.1 -p 9000 >"$DIR/moto.log" 2>&1 &
pids+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null; do sleep 0.2; done
$BIN/python -c "import boto3, os; boto3.client('s3', endpoint_url=os.environ['APA_S3_ENDPOINT_URL'], region_name='us-east-1').create_bucket(Bucket=os.environ['APA_S3_BUCKET'])"

# --- 3. Release steps, once: schema, static files, demo data -----------------------------------------------
step "migrate, collectstatic, load_demo"
time $BIN/python manage.py migrate --noinput -v 0
time $BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py load_demo >/dev/null

# --- 4. Two app servers and one worker ---------------------------------------------------------------------
step "gunicorn on :8001 and :8002, report_worker"
APA_BIND=127.0.0.1:8001 $BIN/gunicorn --config gunicorn.conf.py >"$DIR/app-8001.log" 2>&1 &
pids+=($!)
APA_BIND=127.0.0.1:8002 $BIN/gunicorn --config gunicorn.conf.py >"$DIR/app-8002.log" 2>&1 &
pids+=($!)
$BIN/python manage.py report_worker >"$DIR/worker.log" 2>&1 &
worker=$!
pids+=("$worker")
for port in 8001 8002; do
    until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.3; done
done

# --- 5. Both serve the same data ---------------------------------------------------------------------------
step "health of both app servers"
curl -s http://127.0.0.1:8001/healthz; echo
curl -s http://127.0.0.1:8002/healthz; echo

step "sign in on :8001, read on :8002; approve on :8001, download from :8002"
$BIN/python - <<'PY'
import hashlib, os, re, time

import boto3, requests

A, B = "http://127.0.0.1:8001", "http://127.0.0.1:8002"
PLAN = "/plans/mofa/2022-23/"
PASSWORD = os.environ["APA_DEMO_PASSWORD"]


def sign_in(base, username):
    session = requests.Session()
    session.get(f"{base}/accounts/login/").raise_for_status()
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert response.status_code == 302, f"sign-in as {username} failed: {response.status_code}"
    return session


def total(session, base):
    page = session.get(base + PLAN)
    page.raise_for_status()
    return re.search(r'<span id="foot-total">([^<]+)</span>', page.text).group(1), page.text


def period_action(session, base, quarter, action):
    # The step's confirmation page holds its form (the version it was loaded with); "confirmed" takes it.
    page = session.get(f"{base}{PLAN}periods/{quarter}/{action}/confirm/").text
    form = re.search(rf'action="{PLAN}periods/{quarter}/{action}/".*?name="version" value="(\d+)"', page, re.S)
    data = {"version": form.group(1), "comment": "", "confirmed": "1"}
    response = session.post(
        f"{base}{PLAN}periods/{quarter}/{action}/",
        data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code


officer = sign_in(A, "mofa.officer")  # the session lives in PostgreSQL: the cookie works on both servers
on_a, _ = total(officer, A)
on_b, _ = total(officer, B)
print(f"plan total on :8001 {on_a} | on :8002 {on_b}")
assert on_a == on_b

period_action(officer, A, 1, "submit")
cio = sign_in(A, "mofa.cio")
approved_at = time.monotonic()
period_action(cio, A, 1, "approve")
print("Q1 submitted and approved on :8001")

url = f"{B}{PLAN}reports/quarterly-1.pdf"
while (response := cio.get(url)).status_code == 503:  # "being rendered" until the worker is done
    assert time.monotonic() - approved_at < 300, "the worker did not render the report"
    time.sleep(0.5)
assert response.status_code == 200, response.status_code
waited = time.monotonic() - approved_at
pdf_b = response.content
pdf_a = cio.get(f"{A}{PLAN}reports/quarterly-1.pdf").content
s3 = boto3.client("s3", endpoint_url=os.environ["APA_S3_ENDPOINT_URL"], region_name="us-east-1")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="apa-deploy", Prefix="apa/reports/approved/")["Contents"]]
stored = s3.get_object(Bucket="apa-deploy", Key=keys[0])["Body"].read()
digests = {
    "X-Report-SHA256 from :8002": response.headers["X-Report-SHA256"],
    "download from :8002": hashlib.sha256(pdf_b).hexdigest(),
    "download from :8001": hashlib.sha256(pdf_a).hexdigest(),
    f"object {keys[0]}": hashlib.sha256(stored).hexdigest(),
}
for where, digest in digests.items():
    print(f"{digest}  {where}")
assert len(set(digests.values())) == 1
print(f"approval → PDF downloadable from the other server: {waited:.1f} s ({len(pdf_b):,} bytes)")
PY

step "the worker's log"
grep -E "picked job|done in|failed" "$DIR/worker.log"
step "the access log (last field: request time in µs)"
grep -h "quarterly-1.pdf" "$DIR"/app-800*.log | tail -n 2

step "object storage stopped: /healthz says which part is down"
kill -TERM "${pids[0]}" && wait "${pids[0]}" 2>/dev/null || true
curl -s -o /dev/null -w "HTTP %{http_code}  " http://127.0.0.1:8001/healthz
curl -s http://127.0.0.1:8001/healthz; echo

step "stop the worker (SIGTERM): it exits cleanly"
kill -TERM "$worker"
wait "$worker" && echo "report_worker exit status 0"
tail -n 1 "$DIR/worker.log"
