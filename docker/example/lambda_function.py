"""A rotation function in the shape of AWS's Secrets Manager rotation
templates: `lambda_handler(event, context)` and the four steps, with its
client pointed at SECRETS_MANAGER_ENDPOINT as AWS's templates do (the
emulator sets that variable, and AWS_ENDPOINT_URL, for exec handlers). It
rotates the "password" key of a JSON secret; a real one would change the
password in its database in set_secret and log in with it in test_secret.

Runs as an exec handler through docker/example/handlers.json."""
import json
import os

import boto3


def lambda_handler(event, context):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]
    client = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])

    metadata = client.describe_secret(SecretId=arn)
    if not metadata["RotationEnabled"]:
        raise ValueError(f"Secret {arn} is not enabled for rotation")
    versions = metadata["VersionIdsToStages"]
    if token not in versions:
        raise ValueError(f"Secret version {token} has no stage for rotation of secret {arn}.")
    if "AWSCURRENT" in versions[token]:
        return
    if "AWSPENDING" not in versions[token]:
        raise ValueError(f"Secret version {token} not set as AWSPENDING for rotation of {arn}.")

    if step == "createSecret":
        create_secret(client, arn, token)
    elif step == "setSecret":
        pass  # change the password in the database here
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
        raise ValueError("the pending version has no password")


def finish_secret(client, arn, token):
    metadata = client.describe_secret(SecretId=arn)
    current_version = next(v for v, stages in metadata["VersionIdsToStages"].items()
                           if "AWSCURRENT" in stages)
    if current_version == token:
        return
    client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=current_version)
