"""AWS JSON 1.0/1.1 on the wire, driven by botocore's service models. Knows nothing of Cognito."""
