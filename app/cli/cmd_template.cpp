#include "cliutil.h"
#include "commands.h"

namespace stemship::cli {

// Placeholder until the template command lands; exits as a usage error so no script mistakes it for success.
int runTemplate(const QStringList &)
{
    printError(QStringLiteral("stemship template: not available in this build yet"));
    return ExitUsage;
}

}  // namespace stemship::cli
