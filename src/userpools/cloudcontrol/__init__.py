"""The Cloud Control API (cloudcontrol 2021-09-30) for Cognito resource types, on the same port.

Requests complete synchronously; each mutating request is recorded with its final ProgressEvent so
GetResourceRequestStatus, ListResourceRequests and ClientToken retries work across restarts.
"""
