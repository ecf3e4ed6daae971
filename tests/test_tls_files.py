"""The local CA and server certificate of `serve --tls` (userpools/tls.py): made once, reused, renewed when
they no longer fit; where they live; each problem one start-up line."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509

from userpools import tls
from userpools.settings import Settings


def settings_in(folder: Path, **values: object) -> Settings:
    return Settings.from_env({"USERPOOLS_TLS": "true", "USERPOOLS_TLS_DIR": str(folder)}, **values)


def names_of(path: Path) -> list[str]:
    cert = x509.load_pem_x509_certificate(path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return [*names.get_values_for_type(x509.DNSName), *(str(a) for a in names.get_values_for_type(x509.IPAddress))]


def test_made_once_then_reused_and_renewed_when_it_no_longer_fits(tmp_path: Path) -> None:
    first = tls.ensure(settings_in(tmp_path))
    ca, cert = first.ca.read_bytes(), first.cert.read_bytes()
    assert tls.ensure(settings_in(tmp_path)).cert.read_bytes() == cert  # a second start: nothing made

    wider = tls.ensure(settings_in(tmp_path, public_url="https://idp.test:9229", host="10.0.0.7"))
    assert wider.ca.read_bytes() == ca  # clients keep trusting the same CA
    assert names_of(wider.cert) == ["localhost", "idp.test", "127.0.0.1", "::1", "10.0.0.7"]

    renewed = wider.cert.read_bytes()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=tls.SERVER_DAYS - tls.RENEW_DAYS + 1)
    tls.ensure(settings_in(tmp_path, public_url="https://idp.test:9229", host="10.0.0.7"), now=later)
    assert wider.cert.read_bytes() != renewed and wider.ca.read_bytes() == ca
    x509.load_pem_x509_certificate(wider.cert.read_bytes()).verify_directly_issued_by(
        x509.load_pem_x509_certificate(ca)
    )


def test_a_broken_ca_is_one_clear_error(tmp_path: Path) -> None:
    files = tls.ensure(settings_in(tmp_path))
    (tmp_path / "ca-key.pem").write_text("not a key")
    with pytest.raises(tls.TlsError) as broken:
        tls.ensure(settings_in(tmp_path))
    assert str(broken.value) == (
        f"USERPOOLS_TLS_DIR: {files.ca} or {tmp_path / 'ca-key.pem'} cannot be read as PEM: delete {files.ca} and "
        f"{tmp_path / 'ca-key.pem'} to make a new CA (clients must then trust the new one)."
    )


def test_where_the_ca_lives() -> None:
    assert tls.directory(Settings()) == Path(".userpools/tls")  # beside the default database
    assert tls.directory(Settings(database_url="sqlite:////srv/idp/users.db")) == Path("/srv/idp/tls")
    assert tls.directory(Settings(database_url="sqlite:///:memory:")) == Path(".userpools/tls")
    assert tls.directory(Settings(database_url="postgresql://u@db/idp")) == Path(".userpools/tls")
    assert tls.directory(Settings(tls_dir="/etc/userpools/tls")) == Path("/etc/userpools/tls")


def test_serve_with_an_unusable_folder_says_so_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "USERPOOLS_DATABASE_URL": f"sqlite:///{tmp_path}/u.db",
        "USERPOOLS_TLS_DIR": "/dev/null/tls",
    }
    done = subprocess.run(
        [sys.executable, "-m", "userpools", "serve", "--tls", "--port", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "userpools: USERPOOLS_TLS_DIR /dev/null/tls: cannot keep the local CA there (Not a directory). "
        "Make it writable, or set USERPOOLS_TLS_DIR to a folder that is."
    )
    assert "Traceback" not in done.stderr


def test_tls_ca_prints_the_ca(tmp_path: Path) -> None:
    env = {**os.environ, "USERPOOLS_DATABASE_URL": f"sqlite:///{tmp_path}/db/u.db"}
    env.pop("USERPOOLS_TLS_DIR", None)
    command = [sys.executable, "-m", "userpools", "tls-ca"]
    pem = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    path = subprocess.run([*command, "--path"], capture_output=True, text=True, env=env, check=True).stdout
    assert path.strip() == str(tmp_path / "db" / "tls" / "ca.pem")
    assert pem == (tmp_path / "db" / "tls" / "ca.pem").read_text()
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
