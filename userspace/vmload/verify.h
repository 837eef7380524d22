/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Verified boot of UOS images: a trusted public key (PEM
 * SubjectPublicKeyInfo, ECDSA P-256 or RSA-3072) and detached signatures
 * over SHA-256, as stock openssl makes them (docs/uos-boot.md):
 *   ECDSA P-256:  openssl dgst -sha256 -sign key.pem -out f.sig f
 *                 (a DER ECDSA-Sig-Value)
 *   RSA-3072:     openssl dgst -sha256 -sign key.pem -sigopt
 *                 rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 ...
 *                 (RSASSA-PSS, MGF1 with SHA-256, salt of exactly 32 bytes)
 * Built on mbedtls 2.28.
 */
#ifndef VMLOAD_VERIFY_H
#define VMLOAD_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "gmem.h"

#define VML_SHA256_LEN 32
/* Largest key and signature files read. */
#define VML_KEY_FILE_MAX 16384
#define VML_SIG_FILE_MAX 1024

enum vml_key_type {
	VML_KEY_ECDSA_P256 = 1,
	VML_KEY_RSA3072_PSS = 2,
};

struct vml_key {
	void *pk; /* mbedtls_pk_context */
	enum vml_key_type type;
};

/*
 * Parse the PEM public key pem[0, len) (no NUL needed) into *key. Keys
 * other than ECDSA on P-256 or RSA of exactly 3072 bits are refused with
 * the reason in err. 0 or a negative errno.
 */
int vml_key_load(struct vml_key *key, const void *pem, size_t len,
		 struct vml_err *err);
void vml_key_free(struct vml_key *key);

/* "ECDSA P-256" or "RSA-3072 PSS". */
const char *vml_key_name(const struct vml_key *key);

void vml_sha256(const void *data, size_t len, uint8_t out[VML_SHA256_LEN]);

/*
 * SHA-256 of guest memory [gpa, gpa + len) as placed, what the hv hashes
 * when it starts the VM. 0, or an error of vml_mem_read() (the range is
 * not RAM).
 */
int vml_sha256_guest(const struct vml_mem *m, uint64_t gpa, uint64_t len,
		     uint8_t out[VML_SHA256_LEN], struct vml_err *err);

/*
 * Check sig[0, sig_len) over the object whose SHA-256 is hash. 0 if good,
 * -EBADMSG (with the mbedtls reason in err) if not.
 */
int vml_verify(const struct vml_key *key, const uint8_t hash[VML_SHA256_LEN],
	       const void *sig, size_t sig_len, struct vml_err *err);

/* hash as 64 lowercase hex digits and a NUL. */
void vml_hex(const uint8_t hash[VML_SHA256_LEN], char out[65]);

#endif /* VMLOAD_VERIFY_H */
