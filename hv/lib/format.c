// SPDX-License-Identifier: BSD-3-Clause
/* printf-style formatting for the hv log; see format.h for what it knows. */
#include <stdbool.h>
#include <stdint.h>

#include "format.h"

struct fmt_out {
	char *buf;
	size_t size;
	size_t len; /* what the output would need, may exceed size */
};

struct fmt_spec {
	bool left; /* '-': pad on the right */
	bool zero; /* '0': pad numbers with zeros */
	unsigned int width;
	int length; /* 0, 'l', 'L' (ll) or 'z' */
};

static void fmt_putc(struct fmt_out *out, char c)
{
	/* Keep the last byte of the buffer for the NUL. */
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;
	out->len++;
}

static void fmt_pad(struct fmt_out *out, char c, unsigned int n)
{
	while (n--)
		fmt_putc(out, c);
}

static void fmt_string(struct fmt_out *out, const struct fmt_spec *spec,
		       const char *s)
{
	unsigned int len = 0;

	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	if (!spec->left && spec->width > len)
		fmt_pad(out, ' ', spec->width - len);
	for (unsigned int i = 0; i < len; i++)
		fmt_putc(out, s[i]);
	if (spec->left && spec->width > len)
		fmt_pad(out, ' ', spec->width - len);
}

static void fmt_number(struct fmt_out *out, const struct fmt_spec *spec,
		       uint64_t v, unsigned int base, bool upper, bool neg)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 2^64 - 1 has 20 decimal digits */
	unsigned int n = 0, len, fill;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	len = n + (neg ? 1 : 0);
	fill = spec->width > len ? spec->width - len : 0;

	if (!spec->left && !spec->zero)
		fmt_pad(out, ' ', fill);
	if (neg)
		fmt_putc(out, '-');
	if (!spec->left && spec->zero)
		fmt_pad(out, '0', fill);
	while (n)
		fmt_putc(out, tmp[--n]);
	if (spec->left)
		fmt_pad(out, ' ', fill);
}

static const char *fmt_parse_spec(const char *fmt, struct fmt_spec *spec)
{
	*spec = (struct fmt_spec){ 0 };

	for (;; fmt++) {
		if (*fmt == '-')
			spec->left = true;
		else if (*fmt == '0')
			spec->zero = true;
		else
			break;
	}
	/* Clamp absurd widths instead of overflowing. */
	while (*fmt >= '0' && *fmt <= '9') {
		if (spec->width < 1000)
			spec->width =
				spec->width * 10 + (unsigned int)(*fmt - '0');
		fmt++;
	}
	if (*fmt == 'l') {
		fmt++;
		spec->length = 'l';
		if (*fmt == 'l') {
			fmt++;
			spec->length = 'L';
		}
	} else if (*fmt == 'z') {
		fmt++;
		spec->length = 'z';
	}
	return fmt;
}

static int64_t fmt_arg_signed(int length, va_list *ap)
{
	switch (length) {
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
		/* There is no signed size_t in freestanding C; ptrdiff_t is it. */
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t fmt_arg_unsigned(int length, va_list *ap)
{
	switch (length) {
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Formats one conversion; @c is its letter, @ap the remaining arguments. */
static void fmt_convert(struct fmt_out *out, struct fmt_spec *spec, char c,
			va_list *ap)
{
	int64_t sv;

	switch (c) {
	case 'd':
	case 'i':
		sv = fmt_arg_signed(spec->length, ap);
		/* Negate in unsigned arithmetic so INT64_MIN works. */
		fmt_number(out, spec, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10,
			   false, sv < 0);
		break;
	case 'u':
		fmt_number(out, spec, fmt_arg_unsigned(spec->length, ap), 10,
			   false, false);
		break;
	case 'x':
	case 'X':
		fmt_number(out, spec, fmt_arg_unsigned(spec->length, ap), 16,
			   c == 'X', false);
		break;
	case 'p':
		fmt_putc(out, '0');
		fmt_putc(out, 'x');
		spec->zero = true;
		spec->width = 2 * sizeof(void *);
		fmt_number(out, spec, (uintptr_t)va_arg(*ap, void *), 16, false,
			   false);
		break;
	case 'c':
		fmt_putc(out, (char)va_arg(*ap, int));
		break;
	case 's':
		fmt_string(out, spec, va_arg(*ap, const char *));
		break;
	case '%':
		fmt_putc(out, '%');
		break;
	default:
		/* Unknown: show it rather than guess at its argument. */
		fmt_putc(out, '%');
		if (c)
			fmt_putc(out, c);
		break;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = { .buf = buf, .size = size, .len = 0 };
	struct fmt_spec spec;
	va_list args;

	/* A copy, so helpers can take a pointer to it on every ABI. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_putc(&out, *fmt++);
			continue;
		}
		fmt = fmt_parse_spec(fmt + 1, &spec);
		fmt_convert(&out, &spec, *fmt, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);

	if (size)
		buf[out.len < size ? out.len : size - 1] = '\0';
	return out.len > INT32_MAX ? INT32_MAX : (int)out.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
