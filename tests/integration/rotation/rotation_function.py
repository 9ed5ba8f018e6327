"""A Secrets Manager rotation function in the shape of AWS's published
single-user template (lambda_handler + the four steps), used by the rotation
integration tests both as an `exec` handler (event JSON on stdin) and behind
a Lambda Invoke API server (fake_lambda.py).

It talks back to the emulator through the ordinary API: boto3 reads the
endpoint from AWS_ENDPOINT_URL, which the emulator sets for exec handlers.

Test knobs (command-line flags of the exec form, or environment):
  --fail-at STEP   raise in that step (createSecret|setSecret|testSecret|finishSecret)
  --sleep-at STEP:SECONDS   sleep before doing that step
  --hold-at STEP:FILE       wait before that step for as long as FILE exists
"""
import json
import os
import sys
import time

import boto3


def lambda_handler(event, context=None, fail_at=None, sleep_at=None, hold_at=None,
                   client_kwargs=None):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]
    client = boto3.client("secretsmanager", **(client_kwargs or {}))

    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError(f"Secret {arn} is not enabled for rotation")
    versions = metadata["VersionIdsToStages"]
    if token not in versions:
        raise ValueError(f"Secret version {token} has no stage for rotation of secret {arn}.")
    if "AWSCURRENT" in versions[token]:
        return  # already current: nothing to do
    if "AWSPENDING" not in versions[token]:
        raise ValueError(f"Secret version {token} not set as AWSPENDING for rotation of {arn}.")

    if sleep_at and sleep_at[0] == step:
        time.sleep(sleep_at[1])
    while hold_at and hold_at[0] == step and os.path.exists(hold_at[1]):
        time.sleep(0.05)
    if fail_at == step:
        raise RuntimeError(f"injected failure in {step}")

    if step == "createSecret":
        create_secret(client, arn, token)
    elif step == "setSecret":
        pass  # the single-user template sets the password in the database here
    elif step == "testSecret":
        test_secret(client, arn, token)
    elif step == "finishSecret":
        finish_secret(client, arn, token)
    else:
        raise ValueError(f"Invalid step parameter {step}")


def create_secret(client, arn, token):
    current = json.loads(client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    except client.exceptions.ResourceNotFoundException:
        current["password"] = client.get_random_password(ExcludeCharacters="/@\"'\\")["RandomPassword"]
        client.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                SecretString=json.dumps(current), VersionStages=["AWSPENDING"])


def test_secret(client, arn, token):
    pending = json.loads(client.get_secret_value(SecretId=arn, VersionId=token,
                                                 VersionStage="AWSPENDING")["SecretString"])
    if not pending.get("password"):
        raise ValueError("pending secret has no password")


def finish_secret(client, arn, token):
    metadata = client.describe_secret(SecretId=arn)
    current_version = None
    for version, stages in metadata["VersionIdsToStages"].items():
        if "AWSCURRENT" in stages:
            if version == token:
                return
            current_version = version
            break
    client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=current_version)


def parse_knobs(argv):
    fail_at = os.environ.get("FAIL_AT")
    sleep_at = hold_at = None
    args = list(argv)
    while args:
        flag = args.pop(0)
        if flag == "--fail-at":
            fail_at = args.pop(0)
        elif flag == "--sleep-at":
            step, seconds = args.pop(0).split(":")
            sleep_at = (step, float(seconds))
        elif flag == "--hold-at":
            step, path = args.pop(0).split(":", 1)
            hold_at = (step, path)
    return fail_at, sleep_at, hold_at


if __name__ == "__main__":
    fail_at, sleep_at, hold_at = parse_knobs(sys.argv[1:])
    event = json.load(sys.stdin)
    print(f"{event['Step']} for {event['SecretId'].rsplit(':', 1)[-1]}")
    lambda_handler(event, fail_at=fail_at, sleep_at=sleep_at, hold_at=hold_at)
