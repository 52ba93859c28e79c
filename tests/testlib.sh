# testlib.sh
