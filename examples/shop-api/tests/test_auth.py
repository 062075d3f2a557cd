from fastapi.testclient import TestClient

from app.models import User


def test_register_then_login(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "Grace@Example.com", "full_name": "Grace", "password": "a long passphrase"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["email"] == "grace@example.com"

    response = client.post(
        "/api/v1/auth/login",
        data={"username": "grace@example.com", "password": "a long passphrase"},
    )
    assert response.status_code == 200
    token = response.json()["access_token"]

    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["full_name"] == "Grace"


def test_register_rejects_duplicate_email(client: TestClient, user: User) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": user.email, "full_name": "Someone", "password": "another passphrase"},
    )
    assert response.status_code == 409


def test_login_with_wrong_password(client: TestClient, user: User) -> None:
    response = client.post(
        "/api/v1/auth/login", data={"username": user.email, "password": "not the password"}
    )
    assert response.status_code == 401


def test_me_rejects_forged_token(client: TestClient) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert response.status_code == 401
