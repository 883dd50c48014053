#pragma once

#include <QStringList>

// One function per `stemship` subcommand; args excludes the program and command names.
namespace stemship::cli {

int runAudit(const QStringList &args);
int runPackage(const QStringList &args);
int runVerify(const QStringList &args);
int runTemplate(const QStringList &args);
int runProfile(const QStringList &args);
int runDemo(const QStringList &args);
int runSession(const QStringList &args);

}  // namespace stemship::cli
