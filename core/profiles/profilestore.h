#pragma once

// Finding and loading delivery profiles: bundled ones by name (in stemshipDataDir()/profiles) or any file by path.

#include "profiles/deliveryprofile.h"
#include "util/error.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace stemship::profiles {

struct ProfileInfo {
    QString name;         // the file's base name
    QString title;
    QString description;
    QString path;
    QString problem;      // non-empty when the bundled file does not validate
};

QString profilesDir();                 // stemshipDataDir() + "/profiles"
QStringList listProfiles();            // bundled names, sorted
QList<ProfileInfo> bundledProfiles();  // details of each, sorted by name
QString bundledProfilePath(const QString &name);  // empty when there is none

// An existing file path, else a bundled profile name, or an Error with code "not_found".
Result<QString> resolveProfile(const QString &nameOrFile);

// The profile, or an Error: "not_found" (no such file or profile), "unreadable" (cannot read, too large),
// "invalid_profile" (what: the first problem "where: what (and N more)"; see readProfile for all of them).
Result<DeliveryProfile> loadProfile(const QString &nameOrFile);

// Every problem of NAME|FILE as "FILE: where: what" lines (CLI-CONTRACT); one line when it cannot be read.
QStringList profileProblemLines(const QString &nameOrFile);

}  // namespace stemship::profiles
