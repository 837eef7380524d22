// SPDX-License-Identifier: BSD-3-Clause
/*
 * Signature checks for UOS images with mbedtls (see verify.h). Only two
 * schemes exist, each pinned to one hash, one curve or modulus size and,
 * for PSS, one salt length, so no signature can pick a weaker variant.
 */
#include "verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#define PEM_SPKI "-----BEGIN PUBLIC KEY-----"
#define RSA_BITS 3072

static const char *mbed_reason(int rc, char *buf, size_t size)
{
	mbedtls_strerror(rc, buf, size);
	return buf;
}

static int check_type(struct vml_key *key, mbedtls_pk_context *pk,
		      struct vml_err *err)
{
	mbedtls_ecp_group_id curve;
	size_t bits = mbedtls_pk_get_bitlen(pk);

	switch (mbedtls_pk_get_type(pk)) {
	case MBEDTLS_PK_ECKEY:
		curve = mbedtls_pk_ec(*pk)->grp.id;
		if (curve != MBEDTLS_ECP_DP_SECP256R1)
			return vml_fail(err, -EINVAL,
					"trusted key: EC key on a %zu-bit "
					"curve other than P-256; only ECDSA "
					"P-256 and RSA-3072 are accepted",
					bits);
		key->type = VML_KEY_ECDSA_P256;
		return 0;
	case MBEDTLS_PK_RSA:
		if (bits != RSA_BITS)
			return vml_fail(err, -EINVAL,
					"trusted key: RSA-%zu; only RSA-3072 "
					"and ECDSA P-256 are accepted",
					bits);
		key->type = VML_KEY_RSA3072_PSS;
		return 0;
	default:
		return vml_fail(err, -EINVAL,
				"trusted key: a %s key; only ECDSA P-256 and "
				"RSA-3072 are accepted",
				mbedtls_pk_get_name(pk));
	}
}

int vml_key_load(struct vml_key *key, const void *pem, size_t len,
		 struct vml_err *err)
{
	mbedtls_pk_context *pk;
	char *text, why[128];
	int rc;

	memset(key, 0, sizeof(*key));
	if (len > VML_KEY_FILE_MAX)
		return vml_fail(err, -EFBIG, "trusted key: file too large");
	/* mbedtls wants PEM NUL-terminated, the length counting the NUL. */
	text = malloc(len + 1);
	pk = malloc(sizeof(*pk));
	if (!text || !pk) {
		free(text);
		free(pk);
		return vml_fail(err, -ENOMEM, "out of memory");
	}
	memcpy(text, pem, len);
	text[len] = '\0';
	mbedtls_pk_init(pk);
	if (strlen(text) != len || !strstr(text, PEM_SPKI)) {
		rc = vml_fail(err, -EINVAL,
			      "trusted key: not a PEM public key (\"" PEM_SPKI
			      "\"; openssl pkey -pubout makes one)");
	} else {
		rc = mbedtls_pk_parse_public_key(pk, (unsigned char *)text,
						 len + 1);
		if (rc)
			rc = vml_fail(err, -EINVAL, "trusted key: %s",
				      mbed_reason(rc, why, sizeof(why)));
		else
			rc = check_type(key, pk, err);
	}
	free(text);
	if (rc) {
		mbedtls_pk_free(pk);
		free(pk);
		return rc;
	}
	key->pk = pk;
	return 0;
}

void vml_key_free(struct vml_key *key)
{
	if (key->pk) {
		mbedtls_pk_free(key->pk);
		free(key->pk);
	}
	memset(key, 0, sizeof(*key));
}

const char *vml_key_name(const struct vml_key *key)
{
	return key->type == VML_KEY_ECDSA_P256 ? "ECDSA P-256" : "RSA-3072 PSS";
}

void vml_sha256(const void *data, size_t len, uint8_t out[VML_SHA256_LEN])
{
	/* Cannot fail for SHA-256 in software. */
	(void)mbedtls_sha256_ret(data, len, out, 0);
}

int vml_sha256_guest(const struct vml_mem *m, uint64_t gpa, uint64_t len,
		     uint8_t out[VML_SHA256_LEN], struct vml_err *err)
{
	mbedtls_sha256_context ctx;
	uint8_t buf[16384];
	uint64_t n;
	int ret = 0;

	mbedtls_sha256_init(&ctx);
	(void)mbedtls_sha256_starts_ret(&ctx, 0);
	/* In steps through a small buffer: an initrd may be large. */
	while (len && !ret) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		ret = vml_mem_read(m, gpa, buf, n, err);
		if (!ret)
			(void)mbedtls_sha256_update_ret(&ctx, buf, n);
		gpa += n;
		len -= n;
	}
	if (!ret)
		(void)mbedtls_sha256_finish_ret(&ctx, out);
	mbedtls_sha256_free(&ctx);
	return ret;
}

int vml_verify(const struct vml_key *key, const uint8_t hash[VML_SHA256_LEN],
	       const void *sig, size_t sig_len, struct vml_err *err)
{
	mbedtls_pk_rsassa_pss_options pss = {
		.mgf1_hash_id = MBEDTLS_MD_SHA256,
		.expected_salt_len = VML_SHA256_LEN,
	};
	char why[128];
	int rc;

	if (!key->pk)
		return vml_fail(err, -EINVAL, "no trusted key");
	if (!sig_len || sig_len > VML_SIG_FILE_MAX)
		return vml_fail(err, -EBADMSG, "signature of %zu bytes",
				sig_len);
	if (key->type == VML_KEY_RSA3072_PSS)
		rc = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &pss, key->pk,
					   MBEDTLS_MD_SHA256, hash,
					   VML_SHA256_LEN, sig, sig_len);
	else
		rc = mbedtls_pk_verify(key->pk, MBEDTLS_MD_SHA256, hash,
				       VML_SHA256_LEN, sig, sig_len);
	if (rc)
		return vml_fail(err, -EBADMSG, "%s",
				mbed_reason(rc, why, sizeof(why)));
	return 0;
}

void vml_hex(const uint8_t hash[VML_SHA256_LEN], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < VML_SHA256_LEN; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 0xf];
	}
	out[64] = '\0';
}
