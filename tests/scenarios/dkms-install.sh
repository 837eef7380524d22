# SPDX-License-Identifier: BSD-3-Clause
# DKMS builds and installs every lhv module for this kernel (dkms add,
# build, install into a throwaway tree, nothing of the machine touched),
# and the box then boots with exactly the modules DKMS produced.
#@ timeout: 180

# Host side: run DKMS with its trees redirected. DKMS reads its install
# tree only from its framework configuration, so a private mount namespace
# shows it a configuration folder of our own.
host_prepare() {
	local work=$1 kver=$2 d=$1/dkms version
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$LHV_TOP/dkms.conf")
	mkdir -p "$d/src" "$d/tree" "$d/install/$kver" "$d/conf.d" "$work/guest-files"
	make -s -C "$LHV_TOP" dkms-source DESTDIR="$d/src"
	# Signing keys too: DKMS would otherwise create one under /var/lib/dkms.
	cat >"$d/conf.d/lhv-test.conf" <<-CONF
		install_tree="$d/install"
		mok_signing_key="$d/mok.key"
		mok_certificate="$d/mok.pub"
	CONF
	unshare --mount sh -ec "
		mount --bind '$d/conf.d' /etc/dkms/framework.conf.d
		dkms add -m lhv -v $version --sourcetree '$d/src' --dkmstree '$d/tree'
		dkms build -m lhv -v $version -k '$kver' --dkmstree '$d/tree' \
			--sourcetree '$d/src' --kernelsourcedir '/usr/src/linux-headers-$kver'
		dkms install -m lhv -v $version -k '$kver' --dkmstree '$d/tree' \
			--sourcetree '$d/src' --no-depmod
		dkms status -m lhv --dkmstree '$d/tree' --sourcetree '$d/src'
	"
	# What the package declares, what DKMS installed, and their checksums.
	grep -c '^BUILT_MODULE_NAME' "$LHV_TOP/dkms.conf" >"$work/guest-files/declared"
	find "$d/install/$kver" -name '*.ko*' >"$work/guest-files/installed"
	# Checksums of the module contents (Debian's 6.12 DKMS compresses them;
	# the box holds them uncompressed).
	find "$d/install/$kver" -name '*.ko*' | while read -r ko; do
		name=$(basename "$ko")
		case $ko in
		*.xz) sum=$(xz -dc "$ko" | sha256sum) ;;
		*.zst) sum=$(zstd -qdc "$ko" | sha256sum) ;;
		*) sum=$(sha256sum <"$ko") ;;
		esac
		echo "${sum%% *}  ${name%.ko*}.ko"
	done >"$work/guest-files/sha256"
	echo "$d/install/$kver" >"$work/module-dirs"
}

guest_main() {
	local kver n
	kver=$(uname -r)
	is "DKMS installed every module the package declares" \
		"$(wc -l </host/installed)" "$(cat /host/declared)"
	n=$(ls /lib/modules/"$kver"/extra | wc -l)
	is "the box holds only the modules DKMS produced" "$n" "$(cat /host/declared)"
	ok "they are byte for byte what DKMS installed" \
		sh -c "cd /lib/modules/$kver/extra && sha256sum -c /host/sha256"
	ok "modprobe lhv (the DKMS build)" modprobe lhv
	match "it answers over netlink" "$(lhvctl status)" "hypervisor: +absent"
	ok "rmmod lhv" rmmod lhv
}
