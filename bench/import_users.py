"""User import throughput: a CSV of N users through the documented steps (CreateUserImportJob, a PUT to its
PreSignedUrl, StartUserImportJob) into a live ``userpools serve`` on a fresh SQLite database; the figure is
ImportedUsers / (CompletionDate - StartDate), as the job itself reports it.

    python -m bench.import_users --rows 100000 [--database-url sqlite:///...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.support import Server  # noqa: E402

ROLE = "arn:aws:iam::111111111111:role/CognitoImportRole"


def csv_for(header: list[str], rows: int) -> bytes:
    at = {name: i for i, name in enumerate(header)}
    lines = [",".join(header)]
    blank = [""] * len(header)
    for i in range(rows):
        row = list(blank)
        row[at["cognito:username"]] = f"user{i:08d}"
        row[at["email"]] = f"user{i:08d}@example.com"
        row[at["email_verified"]] = "true"
        row[at["given_name"]] = f"Given{i}"
        row[at["cognito:mfa_enabled"]] = "false"
        lines.append(",".join(row))
    return ("\n".join(lines) + "\n").encode()


def measure(url: str, rows: int) -> dict[str, Any]:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )
    pool = cognito.create_user_pool(PoolName="import-bench")["UserPool"]["Id"]
    body = csv_for(cognito.get_csv_header(UserPoolId=pool)["CSVHeader"], rows)
    job = cognito.create_user_import_job(JobName="bench", UserPoolId=pool, CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
    began = time.monotonic()
    put = requests.put(job["PreSignedUrl"], data=body, headers={"x-amz-server-side-encryption": "aws:kms"}, timeout=900)
    put.raise_for_status()
    uploaded = time.monotonic() - began
    cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    while True:
        state = cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
        if state["Status"] in ("Succeeded", "Failed", "Stopped"):
            break
        time.sleep(0.2)
    seconds = (state["CompletionDate"] - state["StartDate"]).total_seconds()
    return {
        "rows": rows,
        "csv_bytes": len(body),
        "upload_seconds": round(uploaded, 2),
        "status": state["Status"],
        "imported": state["ImportedUsers"],
        "failed": state["FailedUsers"],
        "import_seconds": round(seconds, 2),
        "users_per_second": round(state["ImportedUsers"] / seconds) if seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='userpools-import-')}/userpools.db"
    server = Server(url)
    try:
        result = measure(server.url, args.rows)
    finally:
        server.stop()
    print("user import:", ", ".join(f"{k}={v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
