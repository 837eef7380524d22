# SPDX-License-Identifier: BSD-3-Clause
# Two user VMs at once on -smp 4 (the SOS keeps CPUs 0 and 3), each with
# its own console and memory, each reading its own vSEED from inside with
# LHV_HC_GET_VSEED (there is no VM argument: a VM cannot ask for
# another's). The values match HKDF over the platform seed and each VM's
# UUID as openssl computes it on the host (SHA-512 for linux, SHA-256 for
# android), differ between the VMs and from the SOS's, and are the same
# again when a VM with the same UUID is created anew on another CPU.
#@ kernels: 6.12 6.1
#@ smp: 4
#@ timeout: 400
#@ check: 6.12

UUID_A=6c687661-0000-4000-8000-00000000000a
UUID_B=6c687662-0000-4000-8000-00000000000b
SOS_UUID=6c687673-6f73-4000-8000-000000000000

host_prepare() {
	local g=$1/guest-files i
	mkdir -p "$g"
	for i in $(seq 64 95); do printf "\\$(printf '%03o' "$i")"; done >"$g/seed.bin"
	# salt "lhv-vseed-v1", info "lhv-vseed" || UUID (docs/hv.md)
	vseed() { # uuid digest bytes
		openssl kdf -keylen "$3" -kdfopt digest:"$2" \
			-kdfopt hexkey:"$(xxd -p -c 256 "$g/seed.bin")" \
			-kdfopt hexsalt:"$(printf lhv-vseed-v1 | xxd -p)" \
			-kdfopt hexinfo:"$(printf lhv-vseed | xxd -p)$(echo "$1" | tr -d -)" \
			HKDF | tr -d ': ' | tr 'A-F' 'a-f'
	}
	vseed $UUID_A SHA512 64 >"$g/a.hex"
	vseed $UUID_B SHA256 32 >"$g/b.hex"
	vseed $SOS_UUID SHA512 64 >"$g/sos.hex"
	[ -s "$g/a.hex" ] && [ -s "$g/b.hex" ] && [ -s "$g/sos.hex" ]
}

console_line() { # vm prefix: the first console line starting with prefix
	local i
	for i in $(seq 100); do
		lhvctl vm console "$1" | grep -m1 "^$2" && return 0
		sleep 0.1
	done
	return 1
}

guest_main() {
	local a b a2
	mkdir -p /lib/firmware/lhv
	cp /host/seed.bin /lib/firmware/lhv/seed.bin
	ok "modprobe lhv" modprobe lhv
	ok "lhvctl hv enable" lhvctl hv enable
	ok "create uvmA (linux profile) on CPU 1" \
		lhvctl vm create uvmA --cpus 1 --mem 32M --uuid $UUID_A --profile linux
	ok "create uvmB (android profile) on CPU 2" \
		lhvctl vm create uvmB --cpus 2 --mem 32M --uuid $UUID_B --profile android
	is "the SOS runs on 2 CPUs" \
		"$(lhvctl hv status | sed -n 's/^CPUs: *//p')" 2
	ok "load both" sh -c 'lhv-uvm-payload uvmA vseed && lhv-uvm-payload uvmB vseed'
	ok "start both" sh -c 'lhvctl vm start uvmA && lhvctl vm start uvmB'
	a=$(console_line uvmA "lhv-uvm: vseed")
	b=$(console_line uvmB "lhv-uvm: vseed")
	is "uvmA reads HKDF-SHA-512(seed, its UUID)" "$a" \
		"lhv-uvm: vseed=$(cat /host/a.hex)"
	is "uvmB reads HKDF-SHA-256(seed, its UUID)" "$b" \
		"lhv-uvm: vseed=$(cat /host/b.hex)"
	not "the two differ" sh -c "[ '$a' = '$b' ]"
	not "uvmA's is not the SOS's" \
		sh -c "[ '$a' = 'lhv-uvm: vseed=$(cat /host/sos.hex)' ]"
	is "each console holds only its own VM's lines" \
		"$(lhvctl vm console uvmA | grep -c 'lhv-uvm:')" 1
	is "both VMs run" \
		"$(lhvctl vm show uvmA | sed -n 's/^state: *//p') $(lhvctl vm show uvmB | sed -n 's/^state: *//p')" \
		"running running"
	ok "destroy uvmA" lhvctl vm destroy uvmA
	is "uvmB still runs" "$(lhvctl vm show uvmB | sed -n 's/^state: *//p')" running
	ok "a new VM with uvmA's UUID on CPU 3" \
		lhvctl vm create uvmA2 --cpus 3 --mem 32M --uuid $UUID_A --profile linux
	ok "load and start it" sh -c 'lhv-uvm-payload uvmA2 vseed && lhvctl vm start uvmA2'
	a2=$(console_line uvmA2 "lhv-uvm: vseed")
	is "the same UUID gives the same vSEED" "$a2" "$a"
	ok "destroy both" sh -c 'lhvctl vm destroy uvmA2 && lhvctl vm destroy uvmB'
	is "CPUs 1-3 are back online under the hv" \
		"$(lhvctl hv status | sed -n 's/^CPUs: *//p')" 4
	ok "rmmod lhv" rmmod lhv
}
