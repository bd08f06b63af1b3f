#!/usr/bin/env bash
# A base image for the statusdesk container made of Debian packages only, built without Docker
# and without a registry: for machines that cannot pull eclipse-temurin:17-jre (Jib's default
# base), and for anyone who wants the image to hold nothing but Debian bookworm plus the jar.
#
#   sudo deploy/base-image.sh target/base.tar
#   mvn -B -DskipTests compile jib:buildTar -Djib.base=tar://$PWD/target/base.tar
#
# Writes a docker-archive (the `docker save` format that Jib reads from tar://): manifest.json,
# the image config (Env PATH, JAVA_HOME, LANG) and one layer holding a debootstrap minbase of
# bookworm with its security updates, openjdk-17-jre-headless and what the embedded PostgreSQL
# binaries need besides glibc (libstdc++; they bring their own OpenSSL, ICU and libxml2).
# Documentation other than copyright files, man pages, translations and apt's caches are left
# out. The layer's file times are clamped to the date of the mirror's Release file and its entries
# sorted, so the same mirror state gives the same files with the same times.
#
# Needs root (debootstrap, chroot), debootstrap, tar, sha256sum and a reachable Debian mirror.
# Settings (environment): MIRROR (default http://deb.debian.org/debian), SECURITY_MIRROR
# (default http://deb.debian.org/debian-security; "none" leaves security updates out),
# SUITE (default bookworm), TAG (default statusdesk-base:bookworm).
set -euo pipefail

out=${1:?usage: base-image.sh OUTPUT.tar}
mirror=${MIRROR:-http://deb.debian.org/debian}
security=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=${SUITE:-bookworm}
tag=${TAG:-statusdesk-base:$suite}
arch=$(dpkg --print-architecture)
java_home=/usr/lib/jvm/java-17-openjdk-$arch

fail() { echo "base-image.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap, chroot)"
command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install debootstrap"

work=$(mktemp -d /tmp/statusdesk-base.XXXXXX)
rootfs=$work/rootfs
cleanup() {
  mountpoint -q "$rootfs/proc" && umount "$rootfs/proc"
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror"

# Debian's slim images leave these out too; copyright files stay (the image is redistributed).
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/statusdesk-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
{
  echo "deb $mirror $suite main"
  echo "deb $mirror $suite-updates main"
  [ "$security" = none ] || echo "deb $security $suite-security main"
} >"$rootfs/etc/apt/sources.list"

# The JRE's maintainer scripts (ca-certificates-java runs java) need /proc.
mount -t proc proc "$rootfs/proc"
in_root() {
  chroot "$rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
}
in_root apt-get update -q
in_root apt-get -q -y upgrade
in_root apt-get -q -y install --no-install-recommends openjdk-17-jre-headless libstdc++6
in_root "$java_home/bin/java" -version
# The image's clock for its file times: when the mirror published what was installed.
released=$(sed -n 's/^Date: //p' "$rootfs"/var/lib/apt/lists/*_dists_"${suite}"_InRelease | head -1)
epoch=$(date -d "$released" +%s)
in_root apt-get clean
umount "$rootfs/proc"

# Caches, logs and per-install identities: nothing a container needs, and they differ per build;
# hostname and resolv.conf are debootstrap's copies of this machine's, which a runtime provides.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/var/cache/ldconfig/aux-cache "$rootfs"/var/lib/dpkg/*-old "$rootfs"/var/log/* \
  "$rootfs"/tmp/* "$rootfs"/dev/* "$rootfs"/run/* "$rootfs"/etc/machine-id \
  "$rootfs"/etc/hostname "$rootfs"/etc/resolv.conf "$rootfs"/etc/dpkg/dpkg.cfg.d/statusdesk-slim
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
find "$rootfs"/usr/share/{man,info,locale,lintian} -mindepth 1 -delete 2>/dev/null || true

pack=$work/pack
mkdir -p "$pack"
tar -C "$rootfs" --sort=name --numeric-owner --mtime="@$epoch" --clamp-mtime \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -cf "$pack/layer.tar" .
layer=$(sha256sum "$pack/layer.tar" | cut -d' ' -f1)
mkdir "$pack/$layer"
mv "$pack/layer.tar" "$pack/$layer/layer.tar"
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
cat >"$pack/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "JAVA_HOME=$java_home","LANG=C.UTF-8"],"Cmd":["java","-version"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer"]},
 "history":[{"created":"$created",
  "created_by":"deploy/base-image.sh: debootstrap minbase $suite, openjdk-17-jre-headless"}]}
EOF
config=$(sha256sum "$pack/config.json" | cut -d' ' -f1)
mv "$pack/config.json" "$pack/$config.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' \
  "$config" "$tag" "$layer" >"$pack/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$pack" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  -cf "$out" manifest.json "$config.json" "$layer"
echo "base-image.sh: $out ($tag, $(du -m "$out" | cut -f1) MiB, layer sha256:$layer," \
  "$(($(date +%s) - started)) s)"
