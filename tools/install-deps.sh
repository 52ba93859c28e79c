#!/bin/sh
# install-deps.sh — installs, from Debian 12's packages, everything packgate
# needs to build, test and run its demo.  Run as root on a fresh machine.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
	ca-certificates build-essential autoconf automake autopoint libtool pkg-config \
	gettext \
	libncurses-dev libsqlite3-dev libcjson-dev libarchive-dev libgpgme-dev \
	libcurl4-openssl-dev check libgcrypt20-dev libunistring-dev \
	zstd gnupg gpg-agent tmux jq sqlite3 \
	docker-registry skopeo apache2-utils openssl curl \
	clang libclang-rt-14-dev \
	groff-base locales
# the German catalog's tests need a German locale
sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
locale-gen
