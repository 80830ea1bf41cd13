package io.agentgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package map as rules (see README, "Code map"): no package cycles, the chat vocabulary depends
 * on nothing of ours, and each package is used only by the layers above it.
 */
@AnalyzeClasses(packages = "io.agentgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.agentgate.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule chatVocabularyIsALeaf = classes().that().resideInAPackage("io.agentgate.chat..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.agentgate.chat..", "java..", "jakarta.json..");

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("standalone").definedBy("io.agentgate.standalone..")
            .layer("bootstrap").definedBy("io.agentgate.bootstrap..")
            .layer("http").definedBy("io.agentgate.http..")
            .layer("turn").definedBy("io.agentgate.turn..")
            .layer("sse").definedBy("io.agentgate.sse..")
            .layer("session").definedBy("io.agentgate.session..")
            .layer("runs").definedBy("io.agentgate.runs..")
            .layer("agent").definedBy("io.agentgate.agent..")
            .layer("llm").definedBy("io.agentgate.llm..")
            .layer("tools").definedBy("io.agentgate.tools..")
            .layer("db").definedBy("io.agentgate.db..")
            .layer("config").definedBy("io.agentgate.config..")
            .layer("security").definedBy("io.agentgate.security..")
            .layer("api").definedBy("io.agentgate.api..")
            .layer("chat").definedBy("io.agentgate.chat..")
            .whereLayer("standalone").mayNotBeAccessedByAnyLayer()
            .whereLayer("bootstrap").mayOnlyBeAccessedByLayers("standalone")
            // Servlets get the services they use, never the Gateway registry.
            .whereLayer("http").mayOnlyBeAccessedByLayers("bootstrap")
            .whereLayer("turn").mayOnlyBeAccessedByLayers("http", "bootstrap")
            .whereLayer("sse").mayOnlyBeAccessedByLayers("http", "bootstrap")
            .whereLayer("session").mayOnlyBeAccessedByLayers("turn", "http", "bootstrap")
            // http reads the runs table for GET /v1/runs (RunQueries); only turn records runs.
            .whereLayer("runs").mayOnlyBeAccessedByLayers("turn", "http", "bootstrap")
            .whereLayer("agent").mayOnlyBeAccessedByLayers("turn", "bootstrap")
            .whereLayer("llm").mayOnlyBeAccessedByLayers("agent", "session", "bootstrap")
            .whereLayer("tools").mayOnlyBeAccessedByLayers("agent", "bootstrap")
            .whereLayer("db").mayOnlyBeAccessedByLayers("http", "bootstrap")
            .whereLayer("config").mayOnlyBeAccessedByLayers("standalone", "bootstrap", "http", "session", "db")
            .whereLayer("security").mayOnlyBeAccessedByLayers("bootstrap", "http", "turn", "llm", "config", "db");
}
