/*
 * shipyard freeze launcher: starts the CPython bundled beside it (or inside it).
 *
 * One-folder app:  ROOT is the folder holding this executable.
 * One-file app:    this executable carries a payload (see layout.py for the format).
 *                  The first run unpacks it into a private per-user cache folder named
 *                  after the payload's hash, atomically (unpack into a temporary folder,
 *                  then rename); later runs check the unpacked files (type, size, mode,
 *                  mtime) against the payload's index and start straight from there.
 *                  A cache that fails the check is moved away and unpacked again.
 *
 * Then libpython is loaded from ROOT/lib with dlopen and started with a PyConfig that
 * ignores PYTHON* variables and user site-packages, so nothing of a Python installed on
 * the machine is used. Python runs in this same process: arguments, exit status,
 * standard streams and signals are the app's own.
 *
 * The freezer writes the settings into `shipyard_config` (after its marker) in its copy
 * of this executable: "key=value\n" lines: lib (libpython, relative to ROOT),
 * stdlib (e.g. lib/python3.11), boot (the start-up bytecode), opt (optimization level).
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#define MARKER "@@SHIPYARD-LAUNCHER-CONFIG@@"
__attribute__((used)) char shipyard_config[1024] = MARKER;

#define TRAILER_MAGIC "SHIPYRD1"
#define TRAILER_SIZE 64

struct trailer {           /* the last 64 bytes of a one-file app, little endian */
    char magic[8];
    uint64_t index_offset; /* absolute offset of the index in the file */
    uint64_t index_size;
    uint64_t count;        /* number of index entries */
    uint64_t mtime;        /* modification time given to every unpacked file */
    char key[24];          /* cache folder name suffix: hex digest prefix, NUL padded */
};

struct entry {             /* one decoded index record */
    unsigned char type;    /* 'd' folder, 'f' file */
    uint32_t mode;
    uint64_t offset, csize, size;
    uint32_t crc;
    const char *path;
    uint16_t path_len;
};

static void die(const char *what, const char *detail) {
    fprintf(stderr, "%s: %s%s%s\n", "launcher", what, detail ? ": " : "", detail ? detail : "");
    exit(255);
}

static const char *config_value(const char *key, const char *fallback) {
    static char value[PATH_MAX];
    const char *p = shipyard_config + sizeof(MARKER) - 1;
    size_t key_len = strlen(key);
    while (*p) {
        const char *end = strchr(p, '\n');
        if (!end) end = p + strlen(p);
        if ((size_t)(end - p) > key_len && strncmp(p, key, key_len) == 0 && p[key_len] == '=') {
            size_t n = (size_t)(end - p) - key_len - 1;
            if (n >= sizeof(value)) n = sizeof(value) - 1;
            memcpy(value, p + key_len + 1, n);
            value[n] = 0;
            return value;
        }
        p = *end ? end + 1 : end;
    }
    return fallback;
}

static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- one-file payload ------------------------------------------------------------ */

struct payload {
    int fd;
    struct trailer trailer;
    unsigned char *index;
};

static int read_full(int fd, void *buf, size_t size, off_t offset) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = pread(fd, (char *)buf + done, size - done, offset + (off_t)done);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

/* Returns 1 and fills `pl` when the executable carries a payload, 0 when it does not. */
static int open_payload(const char *exe, struct payload *pl) {
    unsigned char raw[TRAILER_SIZE];
    struct stat st;
    pl->fd = open(exe, O_RDONLY | O_CLOEXEC);
    if (pl->fd < 0 || fstat(pl->fd, &st) != 0) die("cannot open itself", exe);
    if (st.st_size < TRAILER_SIZE || read_full(pl->fd, raw, TRAILER_SIZE, st.st_size - TRAILER_SIZE) != 0
        || memcmp(raw, TRAILER_MAGIC, 8) != 0) {
        close(pl->fd);
        return 0;
    }
    memcpy(pl->trailer.magic, raw, 8);
    pl->trailer.index_offset = get_u64(raw + 8);
    pl->trailer.index_size = get_u64(raw + 16);
    pl->trailer.count = get_u64(raw + 24);
    pl->trailer.mtime = get_u64(raw + 32);
    memcpy(pl->trailer.key, raw + 40, 24);
    pl->trailer.key[23] = 0;
    if (pl->trailer.index_offset + pl->trailer.index_size > (uint64_t)st.st_size - TRAILER_SIZE)
        die("damaged executable", "bad payload index");
    pl->index = malloc(pl->trailer.index_size + 1);
    if (!pl->index || read_full(pl->fd, pl->index, pl->trailer.index_size, (off_t)pl->trailer.index_offset) != 0)
        die("damaged executable", "cannot read payload index");
    return 1;
}

/* Decodes the entry at *pos; returns 0 at the end of the index. */
static int next_entry(const struct payload *pl, size_t *pos, struct entry *e) {
    const unsigned char *p = pl->index + *pos;
    if (*pos + 39 > pl->trailer.index_size) return 0;
    e->type = p[0];
    e->mode = get_u32(p + 1);
    e->offset = get_u64(p + 5);
    e->csize = get_u64(p + 13);
    e->size = get_u64(p + 21);
    e->crc = get_u32(p + 29);
    e->path_len = (uint16_t)(p[33] | p[34] << 8);
    e->path = (const char *)p + 35;
    if (*pos + 35 + e->path_len > pl->trailer.index_size) die("damaged executable", "bad index entry");
    *pos += 35 + e->path_len;
    return 1;
}

static void join(char *out, const char *dir, const char *rel, size_t rel_len) {
    size_t n = strlen(dir);
    if (n + 1 + rel_len + 1 > PATH_MAX) die("path too long", dir);
    memcpy(out, dir, n);
    out[n] = '/';
    memcpy(out + n + 1, rel, rel_len);
    out[n + 1 + rel_len] = 0;
}

/* Is `dir` a complete, untouched unpacking of the payload (and private to this user)? */
static int cache_is_valid(const struct payload *pl, const char *dir) {
    struct stat st;
    char path[PATH_MAX];
    struct entry e;
    size_t pos = 0;
    uint64_t seen = 0;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077))
        return 0;
    while (next_entry(pl, &pos, &e)) {
        join(path, dir, e.path, e.path_len);
        if (lstat(path, &st) != 0) return 0;
        if (e.type == 'd') {
            if (!S_ISDIR(st.st_mode)) return 0;
        } else if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != e.size
                   || (uint64_t)st.st_mtime != pl->trailer.mtime || st.st_mtim.tv_nsec != 0
                   || (st.st_mode & 07777) != (e.mode & 07777)) {
            return 0;
        }
        seen++;
    }
    return seen == pl->trailer.count;
}

static void unpack_file(const struct payload *pl, const struct entry *e, const char *path) {
    unsigned char *in = malloc(e->csize ? e->csize : 1), *out = malloc(e->size ? e->size : 1);
    uLongf out_len = (uLongf)e->size;
    if (!in || !out) die("out of memory", path);
    if (read_full(pl->fd, in, e->csize, (off_t)e->offset) != 0) die("damaged executable", "short payload");
    if (e->size && (uncompress(out, &out_len, in, (uLong)e->csize) != Z_OK || out_len != e->size
                    || crc32(0L, out, (uInt)e->size) != e->crc))
        die("damaged executable: checksum mismatch for", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("cannot create", path);
    size_t done = 0;
    while (done < e->size) {
        ssize_t n = write(fd, out + done, e->size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die("cannot write", path);
        done += (size_t)n;
    }
    struct timespec times[2] = {{(time_t)pl->trailer.mtime, 0}, {(time_t)pl->trailer.mtime, 0}};
    if (fchmod(fd, e->mode & 07777) != 0 || futimens(fd, times) != 0 || close(fd) != 0)
        die("cannot finish", path);
    free(in);
    free(out);
}

static void unpack(const struct payload *pl, const char *dir) {
    char path[PATH_MAX];
    struct entry e;
    size_t pos = 0;
    while (next_entry(pl, &pos, &e)) {
        join(path, dir, e.path, e.path_len);
        if (e.type == 'd') {
            if (mkdir(path, 0700) != 0 && errno != EEXIST) die("cannot create", path);
        } else {
            unpack_file(pl, &e, path);
        }
    }
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *path) { nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

static int make_private_dir(const char *path) {
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

/* Is `path` a folder of this user that nobody else may write to? */
static int is_own_dir(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* The per-user cache base: $SHIPYARD_APP_CACHE, else $XDG_CACHE_HOME/shipyard/apps or
 * ~/.cache/shipyard/apps, else (no home, or one that cannot be written) /tmp/shipyard-UID/apps. */
static void cache_base(char *out) {
    const char *env = getenv("SHIPYARD_APP_CACHE");
    if (env && *env) {
        snprintf(out, PATH_MAX, "%s", env);
        if (!make_private_dir(out)) die("cannot create cache folder", out);
        return;
    }
    char base[PATH_MAX];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    base[0] = 0;
    if (xdg && *xdg == '/') snprintf(base, sizeof base, "%s", xdg);
    else if (home && *home == '/') snprintf(base, sizeof base, "%s/.cache", home);
    if (base[0] && make_private_dir(base)) {
        snprintf(out, PATH_MAX, "%s/shipyard", base);
        if (make_private_dir(out)) {
            strncat(out, "/apps", PATH_MAX - strlen(out) - 1);
            if (make_private_dir(out) && access(out, W_OK) == 0) return;
        }
    }
    snprintf(out, PATH_MAX, "/tmp/shipyard-%u", (unsigned)geteuid());
    if (!make_private_dir(out) || !is_own_dir(out)) die("cache folder is not this user's", out);
    strncat(out, "/apps", PATH_MAX - strlen(out) - 1);
    if (!make_private_dir(out)) die("cannot create cache folder", out);
}

/* Removes what first runs that were killed half-way left in `base` (older than an hour, so
 * that a first run still unpacking is never disturbed). */
static void remove_leftovers(const char *base) {
    DIR *dir = opendir(base);
    if (!dir) return;
    char path[PATH_MAX];
    struct stat st;
    struct dirent *d;
    time_t now = time(NULL);
    while ((d = readdir(dir)) != NULL) {
        if (strncmp(d->d_name, ".tmp-", 5) != 0 && strncmp(d->d_name, ".trash-", 7) != 0) continue;
        join(path, base, d->d_name, strlen(d->d_name));
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && now - st.st_mtime > 3600) remove_tree(path);
    }
    closedir(dir);
}

/* Makes sure the payload is unpacked; returns the folder to start from in `root`. */
static void prepare_cache(const struct payload *pl, const char *name, char *root) {
    char base[PATH_MAX], tmp[PATH_MAX], trash[PATH_MAX];
    cache_base(base);
    snprintf(root, PATH_MAX, "%s/%s-%s", base, name, pl->trailer.key);
    if (cache_is_valid(pl, root)) return;
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%s-XXXXXX", base, name, pl->trailer.key);
    if (!mkdtemp(tmp)) die("cannot create", tmp);
    unpack(pl, tmp);
    remove_leftovers(base);
    for (int attempt = 0; attempt < 5; attempt++) {
        if (rename(tmp, root) == 0) return;
        if (errno != ENOTEMPTY && errno != EEXIST) die("cannot move the unpacked app into place", root);
        if (cache_is_valid(pl, root)) {  /* another first run won the race */
            remove_tree(tmp);
            return;
        }
        /* damaged or tampered: move it aside atomically, then take its place */
        snprintf(trash, sizeof trash, "%s/.trash-%s-%s-%d-%d", base, name, pl->trailer.key, (int)getpid(), attempt);
        if (rename(root, trash) == 0) remove_tree(trash);
    }
    die("cannot move the unpacked app into place", root);
}

/* ---- starting Python ------------------------------------------------------------- */

#define LOAD(handle, fn) __typeof__(&fn) p_##fn = (__typeof__(&fn))dlsym(handle, #fn); \
    if (!p_##fn) die("libpython lacks", #fn)

static void check(PyStatus status, PyConfig *config, void *lib) {
    __typeof__(&PyStatus_Exception) p_exc = (__typeof__(&PyStatus_Exception))dlsym(lib, "PyStatus_Exception");
    if (p_exc(status)) {
        __typeof__(&PyConfig_Clear) p_clear = (__typeof__(&PyConfig_Clear))dlsym(lib, "PyConfig_Clear");
        __typeof__(&Py_ExitStatusException) p_exit =
            (__typeof__(&Py_ExitStatusException))dlsym(lib, "Py_ExitStatusException");
        p_clear(config);
        p_exit(status);
    }
}

int main(int argc, char **argv) {
    char exe[PATH_MAX], root[PATH_MAX], path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) die("cannot find its own executable", NULL);
    exe[n] = 0;

    struct payload pl;
    if (open_payload(exe, &pl)) {
        const char *slash = strrchr(exe, '/');
        prepare_cache(&pl, config_value("name", slash + 1), root);
        close(pl.fd);
        free(pl.index);
    } else {
        memcpy(root, exe, (size_t)n + 1);
        *strrchr(root, '/') = 0;
    }

    snprintf(path, sizeof path, "%s/%s", root, config_value("lib", "lib/libpython.so"));
    void *lib = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
    if (!lib) die("cannot load the bundled Python", dlerror());
    LOAD(lib, PyConfig_InitPythonConfig);
    LOAD(lib, PyConfig_SetBytesString);
    LOAD(lib, PyConfig_SetBytesArgv);
    LOAD(lib, PyConfig_Clear);
    LOAD(lib, PyWideStringList_Append);
    LOAD(lib, Py_DecodeLocale);
    LOAD(lib, PyMem_RawFree);
    LOAD(lib, Py_InitializeFromConfig);
    LOAD(lib, Py_RunMain);

    PyConfig config;
    p_PyConfig_InitPythonConfig(&config);
    config.use_environment = 0;       /* no PYTHONPATH/PYTHONHOME of the machine */
    config.user_site_directory = 0;
    config.safe_path = 1;
    config.parse_argv = 0;            /* every argument is the app's */
    config.write_bytecode = 0;        /* bytecode is compiled ahead */
    config.pathconfig_warnings = 0;
    config.optimization_level = atoi(config_value("opt", "0"));
    const char *unbuffered = getenv("PYTHONUNBUFFERED");
    if (unbuffered && *unbuffered) config.buffered_stdio = 0;
    check(p_PyConfig_SetBytesString(&config, &config.home, root), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.executable, exe), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.base_executable, exe), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.program_name, argv[0]), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.prefix, root), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.base_prefix, root), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.exec_prefix, root), &config, lib);
    check(p_PyConfig_SetBytesString(&config, &config.base_exec_prefix, root), &config, lib);
    snprintf(path, sizeof path, "%s/%s", root, config_value("boot", "lib/boot.pyc"));
    check(p_PyConfig_SetBytesString(&config, &config.run_filename, path), &config, lib);
    check(p_PyConfig_SetBytesArgv(&config, argc, argv), &config, lib);

    const char *stdlib = config_value("stdlib", "lib/python3");
    const char *subdirs[] = {"", "/lib-dynload"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s%s", root, stdlib, subdirs[i]);
        wchar_t *wide = p_Py_DecodeLocale(path, NULL);
        if (!wide) die("cannot decode path", path);
        check(p_PyWideStringList_Append(&config.module_search_paths, wide), &config, lib);
        p_PyMem_RawFree(wide);
    }
    config.module_search_paths_set = 1;

    check(p_Py_InitializeFromConfig(&config), &config, lib);
    p_PyConfig_Clear(&config);
    return p_Py_RunMain();
}
