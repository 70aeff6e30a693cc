"""The seed's Flask webhook handler (verify only). Run under gunicorn:
gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/peers webhook_app:app
"""
import os

from flask import Flask, jsonify, request
from livekit import api

app = Flask(__name__)
verifier = api.TokenVerifier(os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"])
receiver = api.WebhookReceiver(verifier)


@app.route("/livekit/webhook", methods=["POST"])
def handle_webhook():
    auth_header = request.headers.get("Authorization")
    body = request.data.decode("utf-8")
    try:
        event = receiver.receive(body, auth_header)
    except Exception:
        return "Invalid signature", 401
    if event.event == "room_finished":
        print(f"Room {event.room.name} ended.")
    return jsonify({"status": "ok"}), 200


@app.route("/healthz")
def healthz():
    return "ok"
