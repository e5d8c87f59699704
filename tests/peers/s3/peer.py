"""An S3-compatible server for Rookery's tests: moto's, on loopback, that checks
every request's signature. Prints one JSON line (endpoint, region, bucket, keys),
then serves until its standard input closes."""

import json
import os
import socket
import sys

os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"  # the set-up below, then signatures are checked
os.environ.setdefault("AWS_ACCESS_KEY_ID", "setup")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "setup")

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
endpoint = f"http://127.0.0.1:{port}"
region = "us-east-1"
iam = boto3.client("iam", endpoint_url=endpoint, region_name=region)
iam.create_user(UserName="rookery")
policy = iam.create_policy(
    PolicyName="media",
    PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    ),
)
iam.attach_user_policy(UserName="rookery", PolicyArn=policy["Policy"]["Arn"])
key = iam.create_access_key(UserName="rookery")["AccessKey"]
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    region_name=region,
    aws_access_key_id=key["AccessKeyId"],
    aws_secret_access_key=key["SecretAccessKey"],
)
s3.create_bucket(Bucket="rookery-media")
print(
    json.dumps(
        {
            "endpoint": endpoint,
            "region": region,
            "bucket": "rookery-media",
            "access_key_id": key["AccessKeyId"],
            "secret_access_key": key["SecretAccessKey"],
        }
    ),
    flush=True,
)
sys.stdin.read()
server.stop()
