/*
 * The executable's side of backend.h: finds and loads adm-kiosk-backend.so.
 */
#include "backend.h"

#include "adm-config.h"
#include "log.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MODULE "adm-kiosk-backend.so"

/* Beside the executable (a build tree, or a kiosk image that keeps them together). */
static bool beside_exe(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(out, size, "%s/" MODULE, exe);
	return access(out, R_OK) == 0;
}

const struct backend_ops *backend_load(void)
{
	char path[PATH_MAX + 32];
	if (!beside_exe(path, sizeof(path)))
		snprintf(path, sizeof(path), "%s", ADM_BACKEND_PATH);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		log_error("cannot load the kiosk's devices and services: %s", dlerror());
		return NULL;
	}
	const struct backend_ops *ops = dlsym(h, "adm_kiosk_backend");
	if (!ops) {
		log_error("%s: no adm_kiosk_backend: %s", path, dlerror());
		dlclose(h);
		return NULL;
	}
	log_debug("backend loaded from %s", path);
	return ops; /* stays loaded for the life of the process */
}
