# SPDX-License-Identifier: BSD-3-Clause
# A file system on an lhv_blk disk: mkfs.ext4, mount, copy a tree,
# unmount, fsck finds it clean, and after a remount every file's checksum
# matches the original.
#@ modules: virtio_blk virtio_pci ext4 crc32c_generic
#@ tools: mkfs.ext4 e2fsck
#@ files: /etc/mke2fs.conf
#@ disk: 256M
#@ timeout: 300
#@ check: 6.12

guest_main() {
	local backing disk
	modprobe virtio_pci
	modprobe virtio_blk
	modprobe crc32c_generic
	modprobe ext4
	backing=$(disk_by_serial lhv-backing)
	ok "modprobe lhv_blk" modprobe lhv_blk
	ok "blk add" lhvctl blk add --vm service --path "$backing" --serial ext4-disk
	disk=$(disk_wait ext4-disk)
	match "the loopback disk appears" "$disk" "^/dev/vd"
	ok "mkfs.ext4" mkfs.ext4 -q -F "$disk"
	mkdir -p /mnt/a
	ok "mount" mount -t ext4 "$disk" /mnt/a
	ok "it is mounted" is_mounted /mnt/a
	ok "copy a tree (/lib/modules, /usr)" cp -a /lib/modules /usr /mnt/a/
	(cd /lib && find modules -type f | sort | xargs sha256sum) >/tmp/orig.sum
	(cd / && find usr -type f | sort | xargs sha256sum) >>/tmp/orig.sum
	match "the tree has files" "$(wc -l </tmp/orig.sum)" "^[1-9][0-9]"
	ok "unmount" umount /mnt/a
	ok "fsck finds it clean" e2fsck -fn "$disk"
	ok "remount" mount -t ext4 -o ro "$disk" /mnt/a
	ok "it is mounted" is_mounted /mnt/a
	ok "checksums match after the remount" \
		sh -c "cd /mnt/a && sha256sum -c /tmp/orig.sum >/dev/null"
	ok "unmount again" umount /mnt/a
	ok "blk del by name" lhvctl blk del --vm service blk0
}
