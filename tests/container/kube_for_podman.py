#!/usr/bin/env python3
"""Prepares packaging/kubernetes/ for `podman kube play` (podman 4.3, Debian 12), for the container test.

    kube_for_podman.py OUT_DIR --port SERVICE=HOST_PORT ... MANIFEST...

Writes OUT_DIR/play.yaml (what kube play runs) and OUT_DIR/secret-NAME.yaml (one per Secret, for
`podman secret create NAME FILE`), and prints one line per Service: "SERVICE DEPLOYMENT", the
Deployment whose pods it selects. What it changes, and why, is all that differs from what a
cluster gets:

- Secrets become podman secrets created beforehand. podman 4.3 takes a Secret document but
  writes its `data:` values into the mounted files still base64-encoded and drops `stringData:`;
  a podman secret whose `data:` holds the plain values is mounted as a cluster mounts the Secret.
- A ConfigMap or Secret file mounted with subPath becomes a hostPath file: podman 4.3 ignores
  subPath there and mounts the whole volume's folder over the file. The file is written as a
  cluster writes it: owned by root, the volume's defaultMode (0644 unless given), and, for a pod
  with an fsGroup, that group (kubelet gives it to a Secret's and a ConfigMap's files). A
  ConfigMap mounted only this way is left out of play.yaml.
- Services are left out (kube play ignores them) and printed instead: the test gives each one's
  pods its name as a network alias, which is what a Service's DNS name does in a cluster.
- Each container port of a Service named in --port is published on 127.0.0.1:HOST_PORT
  (hostIP/hostPort), where a cluster would use the Service or a port-forward. Every other
  container port is left out: podman 4.3 publishes a containerPort without a hostPort on all of
  the host's addresses, on the same port number (RabbitMQ's 5672 would take the machine's).
"""
import argparse
import os
import pathlib
import re
import sys

import yaml


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("manifests", nargs="+", type=pathlib.Path)
    parser.add_argument("--port", action="append", default=[], help="SERVICE=HOST_PORT")
    args = parser.parse_args()
    host_ports = dict(item.split("=", 1) for item in args.port)

    documents = []
    for path in args.manifests:
        documents += [document for document in yaml.safe_load_all(path.read_text()) if document]

    services = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Service"}
    sources = {
        ("configMap", d["metadata"]["name"]): d.get("data") or {} for d in documents if d["kind"] == "ConfigMap"
    }
    sources.update({
        ("secret", d["metadata"]["name"]): d.get("stringData") or {} for d in documents if d["kind"] == "Secret"
    })
    used_config_maps = set()
    for document in documents:
        if document["kind"] == "Deployment":
            used_config_maps |= subpath_to_host_files(document, sources, args.out_dir / "files")
    played = []
    for document in documents:
        kind = document["kind"]
        if kind == "Secret":
            secret = dict(document)
            data = dict(secret.pop("stringData", {}) or {})
            if secret.get("data"):
                sys.exit(f"secret {secret['metadata']['name']}: use stringData (the test hands podman plain values)")
            secret["data"] = data
            name = secret["metadata"]["name"]
            (args.out_dir / f"secret-{name}.yaml").write_text(yaml.safe_dump(secret))
        elif kind == "Service":
            continue
        elif kind == "Deployment":
            publish(document, services, host_ports)
            played.append(document)
        elif kind == "ConfigMap":
            if document["metadata"]["name"] in used_config_maps:
                played.append(document)
        elif kind == "PersistentVolumeClaim":
            played.append(document)
        else:
            sys.exit(f"{kind} {document['metadata']['name']}: not a kind this test knows how to play")
    # ConfigMaps and claims before the Deployments that use them.
    order = {"ConfigMap": 0, "PersistentVolumeClaim": 1, "Deployment": 2}
    played.sort(key=lambda d: order[d["kind"]])
    (args.out_dir / "play.yaml").write_text(yaml.safe_dump_all(played, sort_keys=False))

    for name, service in services.items():
        selected = [d["metadata"]["name"] for d in played if d["kind"] == "Deployment" and selects(service, d)]
        if len(selected) != 1:
            sys.exit(f"service {name} selects {len(selected)} Deployments: {selected}")
        print(f"{name} {selected[0]}")


def selects(service, deployment):
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return all(labels.get(k) == v for k, v in service["spec"]["selector"].items())


def subpath_to_host_files(deployment, sources, files_dir):
    """Turns each subPath mount of a ConfigMap or Secret into a hostPath file; returns the names of
    the ConfigMaps still mounted as volumes."""
    spec = deployment["spec"]["template"]["spec"]
    fs_group = (spec.get("securityContext") or {}).get("fsGroup", 0)
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    replaced, still_used = {}, set()
    for container in spec["containers"]:
        for mount in container.get("volumeMounts", []):
            volume = volumes[mount["name"]]
            kind = next((k for k in ("configMap", "secret") if k in volume), None)
            if kind is None:
                continue
            name = volume[kind]["name" if kind == "configMap" else "secretName"]
            if "subPath" not in mount:
                if kind == "configMap":
                    still_used.add(name)
                continue
            key = mount.pop("subPath")
            data = sources[(kind, name)]
            if key not in data:
                sys.exit(f"{deployment['metadata']['name']}: {kind} {name} has no {key}")
            path = files_dir / deployment["metadata"]["name"] / mount["name"] / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data[key])
            os.chown(path, 0, fs_group)
            os.chmod(path, volume[kind].get("defaultMode", 0o644))
            host_volume = re.sub(r"[^a-z0-9-]", "-", f"{mount['name']}-{key}".lower())
            replaced[host_volume] = {"name": host_volume, "hostPath": {"path": str(path.resolve()), "type": "File"}}
            mount["name"] = host_volume
    mounted = {m["name"] for c in spec["containers"] for m in c.get("volumeMounts", [])}
    spec["volumes"] = [v for v in spec.get("volumes", []) if v["name"] in mounted] + list(replaced.values())
    return still_used


def publish(deployment, services, host_ports):
    published = {}  # container port -> host port
    for name, service in services.items():
        if name in host_ports and selects(service, deployment):
            for port in service["spec"]["ports"]:
                published[port["targetPort"]] = int(host_ports[name])
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        ports = []
        for port in container.get("ports", []):
            if port["containerPort"] in published:
                ports.append(dict(port, hostIP="127.0.0.1", hostPort=published[port["containerPort"]]))
        container["ports"] = ports

if __name__ == "__main__":
    main()
